using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Admin;
using Engagement.Web.Features.Adoption;
using Engagement.Web.Features.Calendar;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Faq;
using Engagement.Web.Features.Home;
using Engagement.Web.Features.Live;
using Engagement.Web.Features.Meetings;
using Engagement.Web.Features.OpenMonth;
using Engagement.Web.Platform;

var builder = WebApplication.CreateBuilder(args);

builder.AddPlatform();
builder.Services.AddAccounts(builder.Configuration, builder.Environment);
builder.Services.AddCalendar();
builder.Services.AddConsultation(builder.Configuration);
builder.Services.AddAdoption(builder.Configuration);
builder.Services.AddMeetings(builder.Configuration);
builder.Services.AddOpenMonth(builder.Configuration);
builder.Services.AddLive(builder.Configuration);
builder.Services.AddFaq();
builder.Services.AddAdmin();
builder.Services.AddHome();

var app = builder.Build();

app.UsePlatform();
app.MapAccounts();
app.MapCalendar();
app.MapConsultation();
app.MapAdoption();
app.MapMeetings();
app.MapOpenMonth();
app.MapLive();
app.MapAdmin();
app.MapHome();

await app.PrepareDatabaseAsync();
app.Run();

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
