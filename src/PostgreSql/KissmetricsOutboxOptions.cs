using System;
using System.Text.RegularExpressions;

namespace Kissmetrics.Typed.PostgreSql;

/// <summary>Where the outbox lives: the database and the schema and table names of its table.</summary>
public sealed partial class KissmetricsOutboxOptions
{
    /// <summary>The Npgsql connection string of the database the application's transactions run on.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The schema of the outbox table (created by the migration when missing). Default <c>kissmetrics</c>.</summary>
    public string Schema { get; set; } = "kissmetrics";

    /// <summary>The outbox table's name. Default <c>outbox</c>.</summary>
    public string Table { get; set; } = "outbox";

    /// <summary>Throws when a name is not a plain lower-case identifier (they are spliced into SQL, quoted).</summary>
    /// <exception cref="ArgumentException">The option and its value are named in the message.</exception>
    public void Validate()
    {
        CheckIdentifier(nameof(Schema), Schema);
        CheckIdentifier(nameof(Table), Table);
    }

    internal static void CheckIdentifier(string option, string? value)
    {
        // 63 bytes is PostgreSQL's NAMEDATALEN - 1; the table name also prefixes its index, trigger and function names,
        // so it is kept shorter to leave room for the longest suffix ("_pending", "_notify").
        if (value is null || value.Length is 0 or > 48 || !Identifier().IsMatch(value))
        {
            throw new ArgumentException($"KissmetricsOutboxOptions.{option} is '{value}': it must be 1-48 characters of a-z, 0-9 and _, starting with a letter or _.", option);
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();
}
