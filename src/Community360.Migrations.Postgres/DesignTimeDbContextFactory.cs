using Community360.Auditing;
using Community360.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Community360.Migrations.Postgres;

/// <summary>Lets `dotnet ef migrations add` build the Postgres model without starting the web host.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        builder.UseCommunity360Database(new DatabaseOptions
        {
            Provider = DatabaseProvider.Postgres,
            ConnectionString = "Host=127.0.0.1;Database=community360_design;Username=postgres",
        });
        return new AppDbContext(builder.Options, TimeProvider.System, SystemAuditActor.Instance);
    }
}
