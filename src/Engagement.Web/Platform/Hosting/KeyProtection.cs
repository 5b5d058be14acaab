using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace Engagement.Web.Platform.Hosting;

/// <summary>
/// The data-protection keys (they sign the sign-in cookie, antiforgery tokens and password-reset links) are kept in
/// the database so every instance shares them; with <c>DataProtection:CertificatePath</c> they are encrypted there with
/// that certificate, so a database backup alone cannot forge a sign-in. <c>DataProtection:PreviousCertificatePath</c>
/// keeps keys written under the certificate before a rotation readable (docs/DEPLOYMENT.md, "Keys").
/// Passwords come from the environment (<c>DataProtection__CertificatePassword</c>), never from a file in the folder.
/// </summary>
public static class KeyProtection
{
    public static IDataProtectionBuilder ProtectKeysFromConfiguration(this IDataProtectionBuilder builder, IConfiguration configuration, string contentRoot)
    {
        var current = Load(configuration, "DataProtection:CertificatePath", "DataProtection:CertificatePassword", contentRoot);
        if (current is null) return builder;
        var readable = new List<X509Certificate2> { current };
        if (Load(configuration, "DataProtection:PreviousCertificatePath", "DataProtection:PreviousCertificatePassword", contentRoot) is { } previous)
        {
            readable.Add(previous);
        }
        // On Linux the decryptor looks for the certificate in the user's store unless it is handed the certificates.
        return builder.ProtectKeysWithCertificate(current).UnprotectKeysWithAnyCertificate(readable.ToArray());
    }

    /// <summary>The certificate a setting names, with its private key; null when the setting is empty.</summary>
    public static X509Certificate2? Load(IConfiguration configuration, string pathKey, string passwordKey, string contentRoot)
    {
        var path = configuration[pathKey];
        if (string.IsNullOrWhiteSpace(path)) return null;
        var full = Path.GetFullPath(path, contentRoot);
        if (!File.Exists(full)) throw new InvalidOperationException($"{pathKey}: there is no certificate at {full}.");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(full, configuration[passwordKey], X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new InvalidOperationException($"{pathKey}: {full} could not be opened ({e.Message.Trim()}); is {passwordKey} right?", e);
        }
        if (!certificate.HasPrivateKey) throw new InvalidOperationException($"{pathKey}: {full} has no private key; export it as PKCS#12 with its key.");
        return certificate;
    }
}
