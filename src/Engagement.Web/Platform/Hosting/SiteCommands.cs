using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Admin;
using Engagement.Web.Features.Calendar;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Platform.Hosting;

/// <summary>
/// The operator's commands, run with the site's own configuration instead of starting it
/// (<c>dotnet Engagement.Web.dll COMMAND ...</c>, or <c>dotnet run --project src/Engagement.Web -- COMMAND ...</c>).
/// Settings may follow as usual (<c>--ConnectionStrings:Engagement ...</c>). docs/DEPLOYMENT.md uses each of them.
/// </summary>
public static class SiteCommands
{
    private static readonly Dictionary<string, string> Usage = new()
    {
        ["check-config"] = "check-config                 say what is missing or unsafe for a Production site; exit 1 if anything is",
        ["migrate"] = "migrate                      create or upgrade the database schema (the site also does this when it starts)",
        ["create-admin"] = "create-admin EMAIL [NAME]    make an admin account (password from standard input, or generated) and print a one-time link to set the password",
        ["import-units"] = "import-units FILE            add or update the district's units from CSV (name,nameEn,kind) or JSON",
        ["backup"] = "backup FILE                  copy a running SQLite site's database to FILE (never overwrites)",
        ["restore"] = "restore FILE                 replace a stopped SQLite site's database with the backup FILE",
    };

    /// <summary>The command and its operands, and the remaining arguments as settings for the host; no command: the site starts.</summary>
    public static (string? Command, string[] Operands, string[] Settings) Parse(string[] args)
    {
        if (args.Length == 0 || !(Usage.ContainsKey(args[0]) || args[0] is "help")) return (null, [], args);
        var operands = args.Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        return (args[0], operands, args.Skip(1 + operands.Length).ToArray());
    }

    public static async Task<int> RunAsync(WebApplicationBuilder builder, string command, string[] operands)
    {
        var arity = command switch { "create-admin" => (1, 2), "import-units" or "backup" or "restore" => (1, 1), _ => (0, 0) };
        if (command == "help" || operands.Length < arity.Item1 || operands.Length > arity.Item2)
        {
            var error = command == "help" ? Console.Out : Console.Error;
            error.WriteLine("usage: dotnet Engagement.Web.dll COMMAND [operands] [--Setting value ...]");
            foreach (var line in Usage.Values) error.WriteLine("  " + line);
            return command == "help" ? 0 : 2;
        }
        if (command == "check-config") return await CheckConfigAsync(builder);

        try
        {
            builder.AddEngagement();
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"{command}: {e.Message}");
            return 1;
        }
        await using var app = builder.Build();
        using var scope = app.Services.CreateScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<EngagementDbContext>();
        try
        {
            switch (command)
            {
                case "migrate":
                {
                    using var held = DatabaseSetup.SqliteFile(db) is { } file ? SqliteSiteLock.TryShared(file) ?? throw new SiteRunningException($"a restore is replacing {file}") : null;
                    var applied = await DatabaseSetup.MigrateAsync(db);
                    await AccountsSetup.EnsureRolesAsync(services);
                    await services.GetRequiredService<CalendarService>().SeedShippedYearsAsync();
                    await Features.Subscriptions.TopicList.EnsureDefaultsAsync(db);
                    Console.WriteLine(applied.Count == 0 ? $"migrate: {Describe(db)} is up to date"
                        : $"migrate: {applied.Count} migration(s) applied to {Describe(db)}:\n  " + string.Join("\n  ", applied));
                    return 0;
                }
                case "create-admin":
                {
                    if (await RefuseUnlessSiteDatabaseAsync(db, command) is { } refused) return refused;
                    var password = Console.IsInputRedirected ? (await Console.In.ReadLineAsync())?.Trim() : null;
                    var (admin, errors) = await services.GetRequiredService<FirstAdmin>()
                        .CreateAsync(operands[0], string.IsNullOrEmpty(password) ? null : password, operands.ElementAtOrDefault(1));
                    if (admin is null)
                    {
                        foreach (var error in errors) Console.Error.WriteLine($"create-admin: {error}");
                        return 1;
                    }
                    Console.WriteLine(admin.IsNew ? $"create-admin: {admin.Email} is an admin." : $"create-admin: {admin.Email} existed and is now an admin.");
                    if (admin.GeneratedPassword is { } generated) Console.WriteLine($"  password (shown once): {generated}");
                    Console.WriteLine($"  to choose a password and sign in, open within 24 hours (works once):\n  {admin.SetPasswordLink}");
                    if (!admin.SetPasswordLink.StartsWith("http", StringComparison.Ordinal))
                    {
                        Console.WriteLine("  (Site:PublicUrl is not set, so the link has no address in front of it.)");
                    }
                    return 0;
                }
                case "import-units":
                {
                    if (await RefuseUnlessSiteDatabaseAsync(db, command) is { } refused) return refused;
                    var path = Path.GetFullPath(operands[0]);
                    if (!File.Exists(path))
                    {
                        Console.Error.WriteLine($"import-units: there is no file at {path}.");
                        return 1;
                    }
                    var (units, errors) = UnitImport.Parse(Path.GetFileName(path), await File.ReadAllTextAsync(path));
                    if (errors.Count > 0)
                    {
                        foreach (var error in errors) Console.Error.WriteLine($"import-units: {error}");
                        Console.Error.WriteLine("import-units: nothing was imported.");
                        return 1;
                    }
                    var result = await UnitImport.ApplyAsync(db, services.GetRequiredService<AuditWriter>(), units, services.GetRequiredService<TimeProvider>().GetUtcNow());
                    Console.WriteLine($"import-units: {result.Created} added, {result.Updated} updated, {result.Unchanged} unchanged.");
                    return 0;
                }
                default: // backup, restore
                {
                    if (DatabaseSetup.Provider(app.Configuration) != DatabaseProvider.Sqlite)
                    {
                        Console.Error.WriteLine($"{command}: this site runs on PostgreSQL; back it up with pg_dump and restore it with pg_restore (docs/DEPLOYMENT.md, \"Backups\").");
                        return 2;
                    }
                    var connection = DatabaseSetup.SqliteConnectionString(app.Configuration.GetConnectionString("Engagement"), app.Environment.ContentRootPath, createFolder: false);
                    if (command == "backup") await SqliteBackup.BackupAsync(connection, operands[0]);
                    else await SqliteBackup.RestoreAsync(connection, operands[0]);
                    Console.WriteLine($"{command}: done ({Path.GetFullPath(operands[0])} {(command == "backup" ? "from" : "into")} {new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection).DataSource})");
                    return 0;
                }
            }
        }
        catch (Exception error) when (error is IOException or InvalidDataException or Microsoft.Data.Sqlite.SqliteException or Npgsql.NpgsqlException or InvalidOperationException)
        {
            Console.Error.WriteLine($"{command} failed: {error.Message}");
            return 1;
        }
    }

    /// <summary>
    /// create-admin and import-units write into the site's database: refused for a SQLite file that is not there
    /// (a wrong path would otherwise create an empty one), a database without the site's tables, or one behind this version.
    /// </summary>
    private static async Task<int?> RefuseUnlessSiteDatabaseAsync(EngagementDbContext db, string command)
    {
        if (DatabaseSetup.SqliteFile(db) is { } file && !File.Exists(file))
        {
            Console.Error.WriteLine($"{command}: there is no database at {file}. Check ConnectionStrings:Engagement, or run 'migrate' to create it.");
            return 1;
        }
        var applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();
        if (applied.Count == 0)
        {
            Console.Error.WriteLine($"{command}: {Describe(db)} has no Engagement tables. Check ConnectionStrings:Engagement, or run 'migrate' to create them.");
            return 1;
        }
        var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
        if (pending.Count > 0)
        {
            Console.Error.WriteLine($"{command}: {Describe(db)} is behind this version ({pending.Count} migration(s) to apply). Run 'migrate' first.");
            return 1;
        }
        return null;
    }

    private static string Describe(EngagementDbContext db)
    {
        if (DatabaseSetup.SqliteFile(db) is { } file) return file;
        var pg = new Npgsql.NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
        return $"PostgreSQL database {pg.Database} on {pg.Host}:{pg.Port}";
    }

    private static async Task<int> CheckConfigAsync(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var root = builder.Environment.ContentRootPath;
        var findings = ConfigurationCheck.Inspect(configuration, root).ToList();
        try
        {
            KeyProtection.Load(configuration, "DataProtection:CertificatePath", "DataProtection:CertificatePassword", root);
            KeyProtection.Load(configuration, "DataProtection:PreviousCertificatePath", "DataProtection:PreviousCertificatePassword", root);
        }
        catch (InvalidOperationException e)
        {
            findings.Add(new(FindingLevel.Error, "DataProtection", e.Message));
        }
        if (findings.All(f => f.Key is not ("Database:Provider" or "ConnectionStrings:Engagement") || f.Level != FindingLevel.Error))
        {
            findings.Add(await DatabaseFindingAsync(builder));
        }

        Console.WriteLine($"check-config: the settings of {root} (environment {builder.Environment.EnvironmentName}), judged for a public Production site");
        foreach (var finding in findings)
        {
            var mark = finding.Level switch { FindingLevel.Ok => "ok     ", FindingLevel.Warning => "UNSAFE ", _ => "MISSING" };
            Console.WriteLine($"  {mark} {finding.Key}: {finding.Message}");
        }
        var problems = findings.Count(f => f.Level != FindingLevel.Ok);
        Console.WriteLine(problems == 0 ? "check-config: ready for Production" : $"check-config: {problems} problem(s) to fix before going live");
        return problems == 0 ? 0 : 1;
    }

    private static async Task<ConfigurationFinding> DatabaseFindingAsync(WebApplicationBuilder builder)
    {
        try
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddOutputCache();
            services.AddHybridCache();
            services.AddSingleton<Web.PublicPageCacheInvalidation>();
            services.AddSingleton<IConfiguration>(builder.Configuration);
            services.AddDatabase(builder.Configuration, builder.Environment, createFolder: false);
            await using var provider = services.BuildServiceProvider();
            await using var scope = provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<EngagementDbContext>();
            if (DatabaseSetup.SqliteFile(db) is { } file && !File.Exists(file))
            {
                return new(FindingLevel.Ok, "database", $"{file} does not exist yet; 'migrate' or the first start creates it");
            }
            if (!await db.Database.CanConnectAsync()) return new(FindingLevel.Error, "database", $"{Describe(db)} cannot be reached with ConnectionStrings:Engagement");
            var applied = (await db.Database.GetAppliedMigrationsAsync()).Count();
            var pending = (await db.Database.GetPendingMigrationsAsync()).Count();
            return new(FindingLevel.Ok, "database", applied == 0 ? $"{Describe(db)} answers and is empty; 'migrate' or the first start creates the tables"
                : pending == 0 ? $"{Describe(db)} answers, schema up to date" : $"{Describe(db)} answers; {pending} migration(s) will be applied at the next start");
        }
        catch (Exception e) when (e is InvalidOperationException or Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException or ArgumentException)
        {
            return new(FindingLevel.Error, "database", e.Message);
        }
    }
}
