using Community360.Data;
using Npgsql;

namespace Community360.Tests.Infrastructure;

/// <summary>A database of its own for one test host: a temporary SQLite file, or a fresh PostgreSQL database.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public abstract DatabaseOptions Options { get; }
    public abstract ValueTask DisposeAsync();

    public static TestDatabase Create(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => new SqliteTestDatabase(),
        DatabaseProvider.Postgres => new PostgresTestDatabase(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };
}

public sealed class SqliteTestDatabase : TestDatabase
{
    private readonly string _folder = Directory.CreateTempSubdirectory("c360-test-").FullName;

    public override DatabaseOptions Options => new()
    {
        Provider = DatabaseProvider.Sqlite,
        ConnectionString = $"Data Source={Path.Combine(_folder, "test.db")}",
    };

    public override ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finalizing connection; the OS temp cleaner takes it later.
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Needs the throwaway cluster that ./test.sh starts (C360_TEST_POSTGRES holds its admin connection string).
/// Running PostgreSQL tests without it is an error, not a silent skip: both databases are part of the contract.
/// </summary>
public sealed class PostgresTestDatabase : TestDatabase
{
    public const string EnvironmentVariable = "C360_TEST_POSTGRES";
    private readonly string _adminConnectionString;
    private readonly string _databaseName = "c360_" + Guid.NewGuid().ToString("N")[..16];

    public PostgresTestDatabase()
    {
        _adminConnectionString = AdminConnectionString;
        using var connection = new NpgsqlConnection(_adminConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE \"{_databaseName}\"";
        command.ExecuteNonQuery();
    }

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"PostgreSQL tests need {EnvironmentVariable}. Run ./test.sh, which starts a throwaway cluster and sets it.");

    public override DatabaseOptions Options => new()
    {
        Provider = DatabaseProvider.Postgres,
        ConnectionString = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = _databaseName }.ConnectionString,
    };

    public override async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)";
        await command.ExecuteNonQueryAsync();
    }
}
