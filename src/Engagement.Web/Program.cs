using Engagement.Web;
using Engagement.Web.Platform;

var builder = WebApplication.CreateBuilder(args);
builder.AddEngagement();

var app = builder.Build();
app.MapEngagement();

await app.PrepareDatabaseAsync();
app.Run();

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
