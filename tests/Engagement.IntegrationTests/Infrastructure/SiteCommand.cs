using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Engagement.IntegrationTests.Infrastructure;

public sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public string All => Output + Error;
}

/// <summary>The built site's operator commands (check-config, migrate, create-admin ...) as an operator runs them: a process, its exit code and what it printed.</summary>
public static class SiteCommand
{
    public static string BuiltSite => Path.Combine(SiteProcess.RepositoryRoot(), "src", "Engagement.Web", "bin",
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "Engagement.Web.dll");

    public static Task<CommandResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunProcessAsync("dotnet", [BuiltSite, .. args], environment, workingDirectory: "/");

    /// <summary>Any program, with an environment of its own (ASPNETCORE_ENVIRONMENT=Production unless given), standard input closed or fed.</summary>
    public static async Task<CommandResult> RunProcessAsync(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null, string? input = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program, args)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish:\n{await output}\n{await error}");
        }
        return new CommandResult(process.ExitCode, await output, await error);
    }

    /// <summary>A self-signed PKCS#12 certificate with its key, as step 5 of docs/DEPLOYMENT.md makes one.</summary>
    public static string WriteCertificate(string path, string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Engagement data protection test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }
}
