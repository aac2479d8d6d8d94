using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Community360.Data;

public enum DatabaseProvider
{
    Sqlite = 1,
    Postgres = 2,
}

/// <summary>Bound from the "Database" section: Provider and ConnectionString.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
    public string ConnectionString { get; set; } = "Data Source=data/community360.db";

    public static DatabaseOptions From(IConfiguration configuration)
    {
        var options = new DatabaseOptions();
        configuration.GetSection(Section).Bind(options);
        return options;
    }
}

public static class DatabaseSetup
{
    public const string SqliteMigrationsAssembly = "Community360.Migrations.Sqlite";
    public const string PostgresMigrationsAssembly = "Community360.Migrations.Postgres";

    /// <summary>Points EF Core at the chosen provider and at that provider's own migrations assembly.</summary>
    public static DbContextOptionsBuilder UseCommunity360Database(this DbContextOptionsBuilder builder, DatabaseOptions options)
    {
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                EnsureSqliteFolder(options.ConnectionString);
                builder.UseSqlite(options.ConnectionString, sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly));
                builder.AddInterceptors(SqlitePragmas.Instance);
                break;
            case DatabaseProvider.Postgres:
                builder.UseNpgsql(options.ConnectionString, npgsql => npgsql.MigrationsAssembly(PostgresMigrationsAssembly));
                break;
            default:
                throw new InvalidOperationException($"Unknown database provider '{options.Provider}'.");
        }
        return builder;
    }

    public static DbContextOptionsBuilder<TContext> UseCommunity360Database<TContext>(this DbContextOptionsBuilder<TContext> builder, DatabaseOptions options)
        where TContext : DbContext
    {
        ((DbContextOptionsBuilder)builder).UseCommunity360Database(options);
        return builder;
    }

    private static void EnsureSqliteFolder(string connectionString)
    {
        var dataSource = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(dataSource) && dataSource != ":memory:" && folder is not null)
        {
            Directory.CreateDirectory(folder);
        }
    }
}
