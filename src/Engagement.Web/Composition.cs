using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Admin;
using Engagement.Web.Features.Adoption;
using Engagement.Web.Features.Calendar;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Faq;
using Engagement.Web.Features.Home;
using Engagement.Web.Features.Live;
using Engagement.Web.Features.Meetings;
using Engagement.Web.Features.Messages;
using Engagement.Web.Features.Subscriptions;
using Engagement.Web.Features.OpenMonth;
using Engagement.Web.Features.Statistics;
using Engagement.Web.Platform;

namespace Engagement.Web;

/// <summary>
/// The table of contents: the platform, then each feature's services and endpoints. One list, so the site and
/// anything that builds the site's services (the in-process benchmarks) cannot drift apart.
/// </summary>
public static class Composition
{
    public static WebApplicationBuilder AddEngagement(this WebApplicationBuilder builder)
    {
        builder.AddPlatform();
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddAccounts(configuration, builder.Environment);
        services.AddCalendar();
        services.AddConsultation(configuration);
        services.AddAdoption(configuration);
        services.AddMeetings(configuration);
        services.AddOpenMonth(configuration);
        services.AddLive(configuration);
        services.AddMessages(configuration);
        services.AddFaq();
        services.AddSubscriptions();
        services.AddStatistics();
        services.AddAdmin();
        services.AddHome();
        return builder;
    }

    public static WebApplication MapEngagement(this WebApplication app)
    {
        app.UsePlatform();
        app.MapAccounts();
        app.MapCalendar();
        app.MapConsultation();
        app.MapAdoption();
        app.MapMeetings();
        app.MapOpenMonth();
        app.MapLive();
        app.MapMessages();
        app.MapStatistics();
        app.MapAdmin();
        app.MapHome();
        return app;
    }
}
