using Engagement.Web;
using Engagement.Web.Platform;
using Engagement.Web.Platform.Hosting;

// "COMMAND ..." (check-config, migrate, create-admin, import-units, backup, restore) runs an operator's command with
// the site's configuration instead of starting the site (docs/DEPLOYMENT.md).
var (command, operands, settings) = SiteCommands.Parse(args);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = settings, ContentRootPath = ContentRoot.Resolve(settings) });
if (command is not null)
{
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    return await SiteCommands.RunAsync(builder, command, operands);
}
builder.AddEngagement();

var app = builder.Build();
if (!app.RefuseUnsafeProduction()) return 1;
app.MapEngagement();

await app.PrepareDatabaseAsync();
app.Run();
return 0;

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
