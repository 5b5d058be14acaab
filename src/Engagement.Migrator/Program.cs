// Scaffolds an EF Core migration for both providers, without the dotnet-ef tool (not available here):
//   dotnet run --project src/Engagement.Migrator -- add <Name>
// Writes migrations/Sqlite/<timestamp>_<Name>.cs and migrations/Postgres/<timestamp>_<Name>.cs (with designer
// files and updated model snapshots). Build first so the existing migrations are compiled into Engagement.Web.
#pragma warning disable EF1001 // design-time services are EF Core's own API for tools like this one
using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;

if (args.Length != 2 || args[0] != "add" || !System.Text.RegularExpressions.Regex.IsMatch(args[1], "^[A-Z][A-Za-z0-9]*$"))
{
    Console.Error.WriteLine("usage: dotnet run --project src/Engagement.Migrator -- add <PascalCaseName>");
    return 2;
}

var root = FindRepositoryRoot();
var name = args[1];
DbContext[] contexts =
[
    new SqliteEngagementDbContext(new DbContextOptionsBuilder<SqliteEngagementDbContext>().UseSqlite("Data Source=:memory:").Options),
    new PostgresEngagementDbContext(new DbContextOptionsBuilder<PostgresEngagementDbContext>().UseNpgsql("Host=localhost").Options),
];

foreach (var context in contexts)
{
    var provider = context is SqliteEngagementDbContext ? "Sqlite" : "Postgres";
    // Not context.Database.HasPendingModelChanges() here: it finalizes the cached snapshot model in place, and the
    // scaffolder then cannot read it and writes a migration that creates every table again.
    var reporter = new OperationReporter(new OperationReportHandler(
        error => Console.Error.WriteLine(error), warning => Console.Error.WriteLine(warning), _ => { }, _ => { }));
    var services = new DesignTimeServicesBuilder(typeof(EngagementDbContext).Assembly, typeof(Program).Assembly, reporter, [])
        .Build(context);
    var scaffolder = services.GetRequiredService<IMigrationsScaffolder>();
    var migration = scaffolder.ScaffoldMigration(name, "Engagement.Web", $"Migrations.{provider}", "C#");
    var folder = Path.Combine(root, "migrations", provider);
    var files = scaffolder.Save(folder, migration, folder);
    Console.WriteLine($"{provider}: wrote {Path.GetRelativePath(root, files.MigrationFile!)}");
}
return 0;

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Engagement.sln"))) return dir.FullName;
    }
    throw new InvalidOperationException("Run from inside the repository (Engagement.sln not found).");
}
