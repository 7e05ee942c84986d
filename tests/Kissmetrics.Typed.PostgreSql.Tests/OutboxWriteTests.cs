using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using Npgsql;
using Xunit;

namespace Kissmetrics.Typed.PostgreSql.Tests;

[KissmetricsEvent("Signed Up")]
public partial record SignedUp(string? Plan);

/// <summary>The outbox's writes on a real PostgreSQL: rows exist if and only if the transaction commits, with the bytes the generated serializer writes.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OutboxWriteTests(PostgresServer server)
{
    private static readonly KissmetricsOptions Options = new() { ApiKey = "test-key" };

    [Fact]
    public async Task Commit_KeepsTheSerializersBytes_RollbackKeepsNothing()
    {
        Assert.Null(server.Unavailable);
        var names = new KissmetricsOutboxOptions { Schema = "km_write", Table = "outbox_commit" };
        await KissmetricsOutbox.CreateSchemaAsync(server.DataSource, names);
        await KissmetricsOutbox.CreateSchemaAsync(server.DataSource, names); // the migration can run twice
        var outbox = new KissmetricsOutbox(Options, names);
        var at = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

        await using (NpgsqlConnection connection = await server.DataSource.OpenConnectionAsync())
        {
            await using NpgsqlTransaction rolledBack = await connection.BeginTransactionAsync();
            await outbox.TrackAsync(rolledBack, "rolled-back", new SignedUp("Free"));
            await rolledBack.RollbackAsync();

            await using NpgsqlTransaction committed = await connection.BeginTransactionAsync();
            await outbox.TrackAsync(committed, "alice", new SignedUp("Pro"));
            await outbox.AliasAsync(committed, "anon-1", "alice");
            await committed.CommitAsync();
        }

        List<string> rows = await RowsAsync(names);
        Assert.Equal(2, rows.Count);
        IReadOnlyList<string> expected = KissmetricsFormatter.FormatTrack(Options, "alice", new SignedUp("Pro"), at);
        Assert.Single(expected);
        // _t is the time of the call: compare everything else, then check _t is present.
        Assert.StartsWith("/e?", rows[0], StringComparison.Ordinal);
        Assert.Contains("_p=alice", rows[0], StringComparison.Ordinal);
        Assert.Contains("Plan=Pro", rows[0], StringComparison.Ordinal);
        Assert.Contains("_t=", rows[0], StringComparison.Ordinal);
        Assert.Equal(KissmetricsFormatter.FormatAlias(Options, "anon-1", "alice")[0], rows[1]);
        Assert.DoesNotContain(rows, row => row.Contains("rolled-back", StringComparison.Ordinal));
    }

    [Fact]
    public void InvalidTableName_NamesTheOptionAndValue()
    {
        var exception = Assert.Throws<ArgumentException>(() => new KissmetricsOutboxOptions { Table = "x\"; drop table y" }.Validate());
        Assert.Contains("KissmetricsOutboxOptions.Table", exception.Message, StringComparison.Ordinal);
        Assert.Contains("x\"; drop table y", exception.Message, StringComparison.Ordinal);
    }

    private async Task<List<string>> RowsAsync(KissmetricsOutboxOptions names)
    {
        var rows = new List<string>();
        await using NpgsqlCommand command = server.DataSource.CreateCommand($"SELECT request FROM \"{names.Schema}\".\"{names.Table}\" WHERE state = 0 ORDER BY id");
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(Encoding.UTF8.GetString((byte[])reader[0]));
        }

        return rows;
    }
}
