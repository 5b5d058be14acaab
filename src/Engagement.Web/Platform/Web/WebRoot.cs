using Microsoft.Extensions.FileProviders;

namespace Engagement.Web.Platform.Web;

/// <summary>
/// The web root is <c>wwwroot/</c> at the repository root (the product's layout). A published site carries its
/// own copy beside the binaries; a site run from source finds the repository's.
/// </summary>
public static class WebRoot
{
    public static void UseRepositoryWebRoot(IWebHostEnvironment environment)
    {
        if (Directory.Exists(Path.Combine(environment.ContentRootPath, "wwwroot")))
        {
            return;
        }
        var repository = Path.GetFullPath(Path.Combine(environment.ContentRootPath, "..", "..", "wwwroot"));
        if (Directory.Exists(repository))
        {
            environment.WebRootPath = repository;
            environment.WebRootFileProvider = new PhysicalFileProvider(repository);
        }
    }
}
