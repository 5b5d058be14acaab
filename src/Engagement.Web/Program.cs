using Engagement.Web;
using Engagement.Web.Platform;

var builder = WebApplication.CreateBuilder(args);
// "backup FILE" / "restore FILE": an online backup of the SQLite site, or its restore (docs/DEPLOYMENT.md).
if (await Engagement.Web.Platform.Data.SqliteBackup.RunCommandAsync(args, builder.Configuration, builder.Environment) is { } exitCode)
{
    return exitCode;
}
builder.AddEngagement();

var app = builder.Build();
app.MapEngagement();

await app.PrepareDatabaseAsync();
app.Run();
return 0;

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
