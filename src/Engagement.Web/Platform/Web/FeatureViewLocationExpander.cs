using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Razor;

namespace Engagement.Web.Platform.Web;

/// <summary>
/// Views live with their feature: <c>Features/{Feature}/Views/{Controller}/{View}.cshtml</c>, then
/// <c>Features/{Feature}/Views/{View}.cshtml</c>, then <c>Features/Shared/Views/{View}.cshtml</c>. The feature is
/// the namespace segment after "Features".
/// </summary>
public sealed class FeatureViewLocationExpander : IViewLocationExpander
{
    private const string Key = "feature";

    public void PopulateValues(ViewLocationExpanderContext context)
    {
        if (context.ActionContext.ActionDescriptor is ControllerActionDescriptor action)
        {
            var parts = action.ControllerTypeInfo.Namespace?.Split('.') ?? [];
            var index = Array.IndexOf(parts, "Features");
            if (index >= 0 && index + 1 < parts.Length)
            {
                context.Values[Key] = parts[index + 1];
            }
        }
    }

    public IEnumerable<string> ExpandViewLocations(ViewLocationExpanderContext context, IEnumerable<string> viewLocations)
    {
        if (context.Values.TryGetValue(Key, out var feature) && feature is not null)
        {
            yield return $"/Features/{feature}/Views/{{1}}/{{0}}.cshtml";
            yield return $"/Features/{feature}/Views/{{0}}.cshtml";
        }
        yield return "/Features/Shared/Views/{0}.cshtml";
    }
}
