using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Monitor.Security;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests;

public sealed class StartupConfigurationTests : IDisposable
{
    private readonly string _forces = Directory.CreateTempSubdirectory("monitor-forces-").FullName;

    [Fact]
    public async Task A_broken_force_file_stops_start_up_with_the_file_the_path_and_what_is_wrong()
    {
        var force = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "config", "forces", "warwickshire.json")))!;
        force["measures"]![3]!["direction"] = "up";
        force["areas"]![4]!.AsObject().Remove("population");
        var file = Path.Combine(_forces, "warwickshire.json");
        await File.WriteAllTextAsync(file, force.ToJsonString());

        var (exitCode, stderr) = await RunServerAsync($"--Monitor:ForcesPath={_forces}", "--urls=http://127.0.0.1:0");

        Assert.Equal(1, exitCode);
        Assert.Contains($"{file}: $.measures[3].direction: 'up' is not one of increase, decrease, neutral", stderr, StringComparison.Ordinal);
        Assert.Contains($"{file}: $.areas[4].population: a district needs its population", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_signing_key_or_an_authority_the_server_refuses_to_start_and_names_the_setting()
    {
        var (exitCode, stderr) = await RunServerAsync("--urls=http://127.0.0.1:0");

        Assert.Equal(1, exitCode);
        Assert.Contains("Monitor cannot start: Monitor:Auth:SigningKey is not set (environment Monitor__Auth__SigningKey", stderr, StringComparison.Ordinal);
        Assert.Contains("Monitor:Auth:Authority", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Monitor:Auth:SigningKey=c2hvcnQ=", "Monitor:Auth:SigningKey (environment Monitor__Auth__SigningKey): the signing key is 5 bytes")]
    [InlineData("--Monitor:Feeds:0:KeyHash=abc", "Monitor:Feeds:0:KeyHash (environment Monitor__Feeds__0__KeyHash) must be 'sha256:' and 64 hex digits")]
    public async Task A_malformed_credential_setting_stops_start_up_naming_it(string setting, string message)
    {
        var (exitCode, stderr) = await RunServerAsync("--urls=http://127.0.0.1:0", $"--Monitor:Auth:SigningKey={MonitorAppFactory.SigningKey}", setting, "--Monitor:Feeds:0:Force=warwickshire");

        Assert.Equal(1, exitCode);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_feed_keys_with_one_id_stop_start_up_as_the_second_would_post_with_the_first_ones_scope()
    {
        // A key roll that copied the entry's id: the second key would be given the first key's force and types.
        var (exitCode, stderr) = await RunServerAsync(
            "--urls=http://127.0.0.1:0",
            $"--Monitor:Auth:SigningKey={MonitorAppFactory.SigningKey}",
            $"--Monitor:Feeds:0:KeyHash={FeedKeys.Hash(FeedKeys.New())}",
            "--Monitor:Feeds:0:Force=warwickshire",
            "--Monitor:Feeds:0:Id=feed-1",
            "--Monitor:Feeds:0:Types:0=crime.recorded",
            $"--Monitor:Feeds:1:KeyHash={FeedKeys.Hash(FeedKeys.New())}",
            "--Monitor:Feeds:1:Force=warwickshire",
            "--Monitor:Feeds:1:Id=feed-1");

        Assert.Equal(1, exitCode);
        Assert.Contains("Monitor:Feeds:1:Id is 'feed-1', already the id of Monitor:Feeds:0", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_configured_only_through_the_environment_takes_its_feed_key_and_its_tokens()
    {
        // What an outside check does: choose a signing key and a feed key, start the server with them, use both.
        var signingKey = MonitorTokens.NewSigningKey();
        var feedKey = FeedKeys.New();
        var port = FreePort.Next();
        var start = ServerStart($"--urls=http://127.0.0.1:{port}");
        start.Environment["Monitor__Auth__SigningKey"] = signingKey;
        start.Environment["Monitor__Feeds__0__KeyHash"] = FeedKeys.Hash(feedKey);
        start.Environment["Monitor__Feeds__0__Force"] = "warwickshire";
        start.Environment["Monitor__Orleans__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        start.Environment["Monitor__Orleans__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitUntilReadyAsync(http);

            using var post = new HttpRequestMessage(HttpMethod.Post, "/api/events");
            post.Headers.Add("X-Api-Key", feedKey);
            var at = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            post.Content = new StringContent(
                $$"""[{"id":"env-1","type":"call.offered","force":"warwickshire","at":"{{at}}","callId":"C1","channel":"999"}]""", Encoding.UTF8, "application/json");
            using var posted = await http.SendAsync(post);
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
            Assert.Contains("\"accepted\":1", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var read = new HttpRequestMessage(HttpMethod.Get, "/api/live/warwickshire/warwickshire");
            var token = MonitorTokens.Mint(MonitorTokens.DecodeSigningKey(signingKey), "outside-check", MonitorRoles.Wallboard, "warwickshire", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
            read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var live = await http.SendAsync(read);
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);

            using var anonymous = await http.GetAsync("/api/live/warwickshire/warwickshire");
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public void Dispose() => Directory.Delete(_forces, recursive: true);

    private static async Task WaitUntilReadyAsync(HttpClient http)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                using var ready = await http.GetAsync("/readyz", deadline.Token);
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200, deadline.Token);
        }
    }

    private static ProcessStartInfo ServerStart(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Monitor.Server.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static async Task<(int ExitCode, string Stderr)> RunServerAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Monitor.Server.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        _ = process.StandardOutput.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stderr);
    }
}
