namespace Engagement.Web.Features.Admin;

public static class AdminSetup
{
    public static IServiceCollection AddAdmin(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app) => app;
}
