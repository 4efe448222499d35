using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using Monitor.Security;

namespace Monitor.Server.Tests.Infrastructure;

/// <summary>
/// Clients carrying the test credentials (<see cref="MonitorAppFactory.ConfigureCredentials"/>), for any test
/// server: <see cref="MonitorAppFactory"/> and the Redis one alike. <c>CreateClient()</c> stays anonymous.
/// </summary>
public static class AuthenticatedClients
{
    /// <summary>
    /// A client for tests about the contract, not about credentials: POST /api/events carries the feed key,
    /// every other request a token of <paramref name="role"/> for <paramref name="force"/>. Converting a test
    /// written before authentication: <c>app.CreateClient()</c> becomes <c>app.CreateAuthenticatedClient()</c>.
    /// </summary>
    public static HttpClient CreateAuthenticatedClient(this WebApplicationFactory<Program> app, string role = MonitorRoles.Supervisor, string force = MonitorAppFactory.Force) =>
        app.CreateDefaultClient(app.ClientOptions.BaseAddress, new CredentialsHandler(MonitorAppFactory.FeedKey, MonitorAppFactory.MintToken(role, force)));

    /// <summary>A feed's client: every request carries the key in X-Api-Key.</summary>
    public static HttpClient CreateFeedClient(this WebApplicationFactory<Program> app, string key = MonitorAppFactory.FeedKey)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>A person's client: every request carries a fresh bearer token.</summary>
    public static HttpClient CreateUserClient(this WebApplicationFactory<Program> app, string role, string force = MonitorAppFactory.Force, string? name = null) =>
        app.CreateBearerClient(MonitorAppFactory.MintToken(role, force, name));

    public static HttpClient CreateBearerClient(this WebApplicationFactory<Program> app, string token)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// For <c>new HubConnectionBuilder().WithUrl(url, app.WithAccessToken())</c>: a fresh token, read by the hub
    /// from <c>access_token</c> as the page sends it. Converting a hub test is adding this second argument.
    /// </summary>
    public static Action<HttpConnectionOptions> WithAccessToken(this WebApplicationFactory<Program> app, string role = MonitorRoles.Wallboard, string force = MonitorAppFactory.Force)
    {
        ArgumentNullException.ThrowIfNull(app);
        return MonitorAppFactory.WithToken(MonitorAppFactory.MintToken(role, force));
    }

    /// <summary>Sends the feed key where a feed would, the person's token everywhere else.</summary>
    private sealed class CredentialsHandler(string feedKey, string token) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post && request.RequestUri?.AbsolutePath == "/api/events")
            {
                request.Headers.Add("X-Api-Key", feedKey);
            }
            else
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
