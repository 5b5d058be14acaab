using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Platform.Outbox;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Engagement.IntegrationTests.Platform;

/// <summary>The site with an SMTP host that refuses connections: delivery fails, and the outbox keeps the message and tries again later.</summary>
public sealed class UnreachableSmtpFactory : SqliteFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Smtp:Host", "127.0.0.1");
        builder.UseSetting("Smtp:Port", "1"); // nothing listens there
        builder.UseSetting("Outbox:PollSeconds", "3600"); // the test drives the sender itself
    }
}

public sealed class OutboxTests(UnreachableSmtpFactory factory) : IClassFixture<UnreachableSmtpFactory>
{
    [Fact]
    public async Task A_failed_delivery_is_kept_with_its_reason_and_retried_later_not_lost()
    {
        var id = await factory.WithDbAsync(async db =>
        {
            using var scope = factory.Services.CreateScope();
            var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
            var message = outbox.Email("resident1@example.org", "测试通知", "正文");
            await scope.ServiceProvider.GetRequiredService<Engagement.Web.Platform.Data.EngagementDbContext>().SaveChangesAsync();
            return message.Id;
        });

        var sender = factory.Services.GetServices<IHostedService>().OfType<OutboxSender>().Single();
        Assert.Equal(0, await sender.SendDueAsync(CancellationToken.None));

        var failed = await factory.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id));
        Assert.Null(failed.SentAt);
        Assert.Equal(1, failed.Attempts);
        Assert.False(string.IsNullOrWhiteSpace(failed.LastError));
        Assert.True(failed.NextAttemptAt > factory.Clock.GetUtcNow(), "the retry waits");
        Assert.Null(failed.LockedUntil);

        // Not due yet: nothing is attempted again until the back-off has passed.
        Assert.Equal(0, await sender.SendDueAsync(CancellationToken.None));
        Assert.Equal(1, (await factory.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id))).Attempts);

        factory.Clock.Advance(TimeSpan.FromMinutes(5));
        await sender.SendDueAsync(CancellationToken.None);
        Assert.Equal(2, (await factory.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id))).Attempts);
    }
}
