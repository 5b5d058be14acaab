// Sign-up bursts (issue 7: 2,000 registrations within seconds for 100 places end with exactly 100 confirmed, the rest
// waitlisted in order, no error):
//   dotnet run -c Release --project bench/Engagement.Bench -- registrations
//   BENCH_POSTGRES="Host=...;Database=bench" dotnet run -c Release --project bench/Engagement.Bench -- registrations
// Builds the site's real services (no HTTP: 2,000 sign-ins would measure password hashing, not sign-up) on a fresh
// database, then sends 2,000 registrations from 2,000 residents at once, 64 in flight.
using System.Diagnostics;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.OpenMonth;
using Engagement.Web;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Admin;
using Engagement.Web.Platform;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

public static class RegistrationBench
{
    public static async Task<int> RunAsync(string root)
    {
        var work = Directory.CreateTempSubdirectory("engagement-burst-").FullName;
        var postgres = Environment.GetEnvironmentVariable("BENCH_POSTGRES");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = Path.Combine(root, "src", "Engagement.Web") });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Engagement"] = postgres ?? $"Data Source={Path.Combine(work, "burst.db")}",
            ["Database:Provider"] = postgres is null ? "Sqlite" : "Postgres",
            ["Demo:Enabled"] = "false",
            ["Outbox:PickupDirectory"] = Path.Combine(work, "mail"),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddEngagement();
        await using var app = builder.Build();
        await app.PrepareDatabaseAsync();

        int eventId;
        List<Guid> people;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EngagementDbContext>();
            var unit = new Unit { Name = "区政府办公室", NameEn = "District Government Office", Kind = UnitKind.Bureau, CreatedAt = DateTimeOffset.UtcNow };
            var venue = new Venue { Name = "长宁区行政服务中心", Address = "长宁路599号" };
            db.AddRange(unit, venue);
            await db.SaveChangesAsync();
            var ev = new OpenEvent
            {
                Title = "开放日压力测试", UnitId = unit.Id, VenueId = venue.Id, Segments = EventSegments.Forum, Capacity = 100,
                StartsAt = DateTimeOffset.UtcNow.AddDays(20), EndsAt = DateTimeOffset.UtcNow.AddDays(20).AddHours(2),
                RegistrationOpensAt = DateTimeOffset.UtcNow.AddDays(-1), RegistrationClosesAt = DateTimeOffset.UtcNow.AddDays(10), CreatedAt = DateTimeOffset.UtcNow,
            };
            db.Add(ev);
            var users = Enumerable.Range(0, 2000).Select(i => new User
            {
                Id = Guid.NewGuid(), UserName = $"burst{i}@example.org", NormalizedUserName = $"BURST{i}@EXAMPLE.ORG", Email = $"burst{i}@example.org",
                NormalizedEmail = $"BURST{i}@EXAMPLE.ORG", EmailConfirmed = true, DisplayName = $"居民{i}", SecurityStamp = Guid.NewGuid().ToString("N"), CreatedAt = DateTimeOffset.UtcNow,
            }).ToList();
            db.Users.AddRange(users);
            await db.SaveChangesAsync();
            eventId = ev.Id;
            people = users.Select(u => u.Id).ToList();
        }

        var outcomes = new System.Collections.Concurrent.ConcurrentBag<RegisterOutcome>();
        var errors = 0;
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(people, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (user, ct) =>
        {
            try
            {
                using var scope = app.Services.CreateScope();
                outcomes.Add((await scope.ServiceProvider.GetRequiredService<RegistrationService>().RegisterAsync(eventId, user, 0, ct)).Outcome);
            }
            catch (Exception)
            {
                Interlocked.Increment(ref errors);
            }
        });
        var elapsed = watch.Elapsed;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EngagementDbContext>();
            var confirmed = await db.Set<EventRegistration>().CountAsync(r => r.EventId == eventId && r.Status == RegistrationStatus.Confirmed);
            var waitlisted = await db.Set<EventRegistration>().CountAsync(r => r.EventId == eventId && r.Status == RegistrationStatus.Waitlisted);
            var counter = await db.Set<OpenEvent>().Where(e => e.Id == eventId).Select(e => e.Confirmed).SingleAsync();
            Console.WriteLine($"{(postgres is null ? "SQLite" : "PostgreSQL")}: 2,000 registrations for 100 places in {elapsed.TotalSeconds:F1} s " +
                $"({2000 / elapsed.TotalSeconds:F0}/s): {outcomes.Count(o => o == RegisterOutcome.Confirmed)} confirmed, " +
                $"{outcomes.Count(o => o == RegisterOutcome.Waitlisted)} waitlisted, {errors} errors; stored {confirmed} confirmed, {waitlisted} waitlisted, counter {counter}");
            return confirmed == 100 && waitlisted == 1900 && counter == 100 && errors == 0 ? 0 : 1;
        }
    }
}
