using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Serialization;
using Npgsql;
using NpgsqlTypes;

namespace Kissmetrics.Typed.PostgreSql;

/// <summary>
/// Writes Kissmetrics requests into an outbox table inside the caller's <see cref="NpgsqlTransaction"/>: they exist if and
/// only if that transaction commits. The bytes are those <see cref="KissmetricsFormatter"/> (the generated serializers)
/// writes for <see cref="KissmetricsClient"/>; each call is one round trip, a multi-row insert when it makes several
/// requests (a completed order with products).
/// </summary>
public sealed class KissmetricsOutbox
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    private readonly KissmetricsOptions _options;
    private readonly string[] _insertSql = new string[8];
    private readonly string _table;

    /// <summary>An outbox serializing with <paramref name="options"/> (the API key and mapping settings) into the table <paramref name="outboxOptions"/> names.</summary>
    /// <exception cref="ArgumentException">An option is invalid (named with its value).</exception>
    public KissmetricsOutbox(KissmetricsOptions options, KissmetricsOutboxOptions outboxOptions)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(outboxOptions);
        options.Validate();
        outboxOptions.Validate();
        _options = options;
        _table = $"\"{outboxOptions.Schema}\".\"{outboxOptions.Table}\"";
        for (int rows = 1; rows <= _insertSql.Length; rows++)
        {
            _insertSql[rows - 1] = InsertSql(rows);
        }
    }

    /// <summary>Inserts what <see cref="KissmetricsClient.Track{TEvent}"/> would send, in <paramref name="transaction"/>.</summary>
    public Task TrackAsync<TEvent>(NpgsqlTransaction transaction, string person, TEvent e, CancellationToken cancellationToken = default)
        where TEvent : IKissmetricsEvent
    {
        ArrayBufferWriter<byte> scratch = Scratch();
        KissmetricsFormatter.WriteTrack(scratch, _options, person, e);
        return InsertAsync(transaction, scratch, cancellationToken);
    }

    /// <summary>Inserts what <see cref="KissmetricsClient.Identify{TTraits}"/> would send, in <paramref name="transaction"/>.</summary>
    public Task IdentifyAsync<TTraits>(NpgsqlTransaction transaction, string person, TTraits traits, string? anonymousId = null, CancellationToken cancellationToken = default)
        where TTraits : IKissmetricsTraits
    {
        ArrayBufferWriter<byte> scratch = Scratch();
        KissmetricsFormatter.WriteIdentify(scratch, _options, person, traits, anonymousId);
        return InsertAsync(transaction, scratch, cancellationToken);
    }

    /// <summary>Inserts what <see cref="KissmetricsClient.Group{TTraits}"/> would send, in <paramref name="transaction"/>.</summary>
    public Task GroupAsync<TTraits>(NpgsqlTransaction transaction, string person, string groupId, TTraits traits, CancellationToken cancellationToken = default)
        where TTraits : IKissmetricsGroupTraits
    {
        ArrayBufferWriter<byte> scratch = Scratch();
        KissmetricsFormatter.WriteGroup(scratch, _options, person, groupId, traits);
        return InsertAsync(transaction, scratch, cancellationToken);
    }

    /// <summary>Inserts what <see cref="KissmetricsClient.Page{TPage}"/> would send, in <paramref name="transaction"/>.</summary>
    public Task PageAsync<TPage>(NpgsqlTransaction transaction, string person, TPage page, CancellationToken cancellationToken = default)
        where TPage : IKissmetricsPage
    {
        ArrayBufferWriter<byte> scratch = Scratch();
        KissmetricsFormatter.WritePage(scratch, _options, person, page);
        return InsertAsync(transaction, scratch, cancellationToken);
    }

    /// <summary>Inserts what <see cref="KissmetricsClient.Screen{TScreen}"/> would send, in <paramref name="transaction"/>.</summary>
    public Task ScreenAsync<TScreen>(NpgsqlTransaction transaction, string person, TScreen screen, CancellationToken cancellationToken = default)
        where TScreen : IKissmetricsScreen
    {
        ArrayBufferWriter<byte> scratch = Scratch();
        KissmetricsFormatter.WriteScreen(scratch, _options, person, screen);
        return InsertAsync(transaction, scratch, cancellationToken);
    }

    /// <summary>Inserts what <see cref="KissmetricsClient.Alias"/> would send, in <paramref name="transaction"/>.</summary>
    public Task AliasAsync(NpgsqlTransaction transaction, string previousId, string newId, CancellationToken cancellationToken = default)
    {
        ArrayBufferWriter<byte> scratch = Scratch();
        KissmetricsFormatter.WriteAlias(scratch, _options, previousId, newId);
        return InsertAsync(transaction, scratch, cancellationToken);
    }

    /// <summary>Applies the migration (the package's <c>outbox.sql</c>) for the default names: schema <c>kissmetrics</c>, table <c>outbox</c>.</summary>
    public static Task CreateSchemaAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        CreateSchemaAsync(dataSource, new KissmetricsOutboxOptions(), cancellationToken);

    /// <summary>Applies the migration (the package's <c>outbox.sql</c>) for the names in <paramref name="outboxOptions"/>. Running it again changes nothing.</summary>
    /// <exception cref="ArgumentException">A name is invalid (named with its value).</exception>
    public static async Task CreateSchemaAsync(NpgsqlDataSource dataSource, KissmetricsOutboxOptions outboxOptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(outboxOptions);
        string sql = SchemaScript(outboxOptions);
        await using NpgsqlCommand command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The migration's SQL with <paramref name="outboxOptions"/>' names in it: what <see cref="CreateSchemaAsync(NpgsqlDataSource, KissmetricsOutboxOptions, CancellationToken)"/> runs, for applying with a migration tool instead.</summary>
    /// <exception cref="ArgumentException">A name is invalid (named with its value).</exception>
    public static string SchemaScript(KissmetricsOutboxOptions outboxOptions)
    {
        ArgumentNullException.ThrowIfNull(outboxOptions);
        outboxOptions.Validate();
        using Stream stream = typeof(KissmetricsOutbox).Assembly.GetManifestResourceStream("Kissmetrics.Typed.PostgreSql.outbox.sql")
            ?? throw new InvalidOperationException("The embedded migration outbox.sql is missing from Kissmetrics.Typed.PostgreSql.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("{schema}", outboxOptions.Schema, StringComparison.Ordinal).Replace("{table}", outboxOptions.Table, StringComparison.Ordinal);
    }

    private static ArrayBufferWriter<byte> Scratch()
    {
        ArrayBufferWriter<byte> scratch = t_scratch ??= new ArrayBufferWriter<byte>(1024);
        scratch.ResetWrittenCount();
        return scratch;
    }

    private Task InsertAsync(NpgsqlTransaction transaction, ArrayBufferWriter<byte> scratch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        NpgsqlConnection connection = transaction.Connection
            ?? throw new ArgumentException("The transaction has completed: its connection is gone.", nameof(transaction));

        // One row per request line; the bytes are copied out of the thread's scratch buffer before any await.
        var requests = new List<byte[]>(2);
        ReadOnlySpan<byte> written = scratch.WrittenSpan;
        while (!written.IsEmpty)
        {
            int end = written.IndexOf((byte)'\n');
            requests.Add(written.Slice(0, end).ToArray());
            written = written.Slice(end + 1);
        }

        if (requests.Count == 0)
        {
            return Task.CompletedTask;
        }

        var command = new NpgsqlCommand(requests.Count <= _insertSql.Length ? _insertSql[requests.Count - 1] : InsertSql(requests.Count), connection, transaction);
        foreach (byte[] request in requests)
        {
            command.Parameters.Add(new NpgsqlParameter<byte[]> { NpgsqlDbType = NpgsqlDbType.Bytea, TypedValue = request });
        }

        return ExecuteAsync(command, cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private string InsertSql(int rows)
    {
        var sql = new System.Text.StringBuilder("INSERT INTO ").Append(_table).Append(" (request) VALUES ");
        for (int i = 1; i <= rows; i++)
        {
            sql.Append(i == 1 ? "($" : ", ($").Append(i).Append(')');
        }

        return sql.ToString();
    }
}
