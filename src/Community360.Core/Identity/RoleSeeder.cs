using Community360.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Community360.Identity;

/// <summary>Makes sure every role of <see cref="Roles.All"/> exists; safe to run at every start.</summary>
public sealed class RoleSeeder(AppDbContext db, RoleManager<AppRole> roleManager)
{
    public async Task EnsureRolesAsync(CancellationToken ct)
    {
        var existing = await db.Roles.Select(r => r.Name!).ToListAsync(ct);
        foreach (var role in Roles.All.Except(existing, StringComparer.Ordinal))
        {
            var result = await roleManager.CreateAsync(new AppRole { Name = role });
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Could not create role {role}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
            }
        }
    }
}
