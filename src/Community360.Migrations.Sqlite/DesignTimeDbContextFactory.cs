using Community360.Auditing;
using Community360.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Community360.Migrations.Sqlite;

/// <summary>Lets `dotnet ef migrations add` build the Sqlite model without starting the web host.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        builder.UseCommunity360Database(new DatabaseOptions
        {
            Provider = DatabaseProvider.Sqlite,
            ConnectionString = "Data Source=obj/design-time.db",
        });
        return new AppDbContext(builder.Options, TimeProvider.System, SystemAuditActor.Instance);
    }
}
