using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Npgsql;
using Xunit;

namespace Kissmetrics.Typed.PostgreSql.Tests;

/// <summary>
/// A real PostgreSQL for the tests: the server KISSMETRICS_TEST_POSTGRES names (a connection string), or else a throwaway
/// cluster initialised in a temporary folder with the initdb/pg_ctl on the PATH (as the postgres user when running as
/// root, since the server refuses root), trust authentication, listening on 127.0.0.1 at a free port; stopped and deleted
/// at the end. Without any server binary the tests fail with the reason when CI or KISSMETRICS_REQUIRE_POSTGRES=1 is set,
/// and otherwise report that reason instead of running against nothing.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string? _folder;
    private string? _data;

    /// <summary>Why there is no server (null when there is one).</summary>
    public string? Unavailable { get; private set; }

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        string? given = Environment.GetEnvironmentVariable("KISSMETRICS_TEST_POSTGRES");
        if (!string.IsNullOrEmpty(given))
        {
            ConnectionString = given;
        }
        else if (FindOnPath("initdb") is not { } initdb || FindOnPath("pg_ctl") is not { } pgCtl)
        {
            Unavailable = "No PostgreSQL: KISSMETRICS_TEST_POSTGRES is not set and initdb/pg_ctl are not on the PATH.";
            if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 } || Environment.GetEnvironmentVariable("KISSMETRICS_REQUIRE_POSTGRES") == "1")
            {
                throw new InvalidOperationException(Unavailable + " CI (or KISSMETRICS_REQUIRE_POSTGRES=1) requires it.");
            }

            return;
        }
        else
        {
            _folder = Path.Combine(Path.GetTempPath(), "km-pg-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_folder);
            _data = Path.Combine(_folder, "data");
            bool root = Environment.UserName == "root";
            if (root)
            {
                await RunAsync("chown", "postgres", _folder);
            }

            int port = FreePort();
            await RunAsPostgresAsync(root, initdb, "-D", _data, "-A", "trust", "-U", "postgres", "--no-sync");
            await RunAsPostgresAsync(root, pgCtl, "-D", _data, "-w", "-l", Path.Combine(_folder, "server.log"),
                "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {_folder} -c fsync=off", "start");
            ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true";
        }

        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }

        if (_data is not null && FindOnPath("pg_ctl") is { } pgCtl)
        {
            await RunAsPostgresAsync(Environment.UserName == "root", pgCtl, "-D", _data, "-m", "immediate", "-w", "stop");
        }

        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static Task RunAsPostgresAsync(bool root, string program, params string[] arguments) =>
        root ? RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments]) : RunAsync(program, arguments);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    private static string? FindOnPath(string name)
    {
        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
