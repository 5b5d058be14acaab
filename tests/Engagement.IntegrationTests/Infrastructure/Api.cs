using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Engagement.IntegrationTests.Infrastructure;

public static class Api
{
    public static async Task<string> TokenAsync(this HttpClient client, string email, string password = EngagementFactory.Password)
    {
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("accessToken").GetString()!;
    }

    public static async Task<HttpClient> AsAsync(this HttpClient client, string email)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await client.TokenAsync(email));
        return client;
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();
}
