using Community360.Auditing;
using Community360.Data;
using Microsoft.EntityFrameworkCore;

namespace Community360.Tests.Data;

/// <summary>Each provider's migrations must describe today's model; a lagging set fails here, not in production.</summary>
public sealed class MigrationsTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite, "Data Source=unused.db")]
    [InlineData(DatabaseProvider.Postgres, "Host=127.0.0.1;Database=unused")]
    public void Migrations_describe_the_current_model(DatabaseProvider provider, string connectionString)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>()
            .UseCommunity360Database(new DatabaseOptions { Provider = provider, ConnectionString = connectionString })
            .Options;
        using var db = new AppDbContext(options, TimeProvider.System, SystemAuditActor.Instance);

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(),
            $"The {provider} migrations lag behind the model: run `dotnet ef migrations add <Name> --project src/Community360.Migrations.{provider} --startup-project src/Community360.Migrations.{provider}`.");
    }
}
