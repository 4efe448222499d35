using Microsoft.Playwright;

namespace Monitor.Server.Tests.Infrastructure;

/// <summary>
/// The machine's own headless Chromium driven by Playwright: never a downloaded browser (this machine's network
/// is closed). One browser per collection; each test opens its own context, so sign-ins never leak between them.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Where tests write screenshots and PDFs for people to look at (docs/ shows some of them).</summary>
    public static string ArtifactsDirectory { get; } = Path.Combine(RepositoryRoot(), "artifacts", "browser");

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,

            // Root in a closed network: no sandbox, no GPU, and no calls home that the network would refuse.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>
    /// A fresh page at the given size whose console errors, uncaught exceptions and failed requests are collected
    /// in <see cref="BrowserPage.Errors"/>: a board that throws is a board that lies.
    /// </summary>
    public async Task<BrowserPage> OpenAsync(Uri baseAddress, int width = 1920, int height = 1080, string timezoneId = "Europe/London")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            TimezoneId = timezoneId,
            Locale = "en-GB",
        });
        var page = await context.NewPageAsync();
        return new BrowserPage(context, page);
    }

    public static string ArtifactPath(string fileName)
    {
        Directory.CreateDirectory(ArtifactsDirectory);
        return Path.Combine(ArtifactsDirectory, fileName);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Monitor.sln")))
            {
                return dir.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}

/// <summary>A page and its context, with every error the page reported.</summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly List<string> _errors = [];

    internal BrowserPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            // A hub message no handler takes is a warning of the SignalR client's, but a page that ignores what the
            // hub sends it is a defect all the same.
            if (message.Type == "error" || (message.Type == "warning" && message.Text.Contains("No client method with the name", StringComparison.Ordinal)))
            {
                Record($"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => Record($"uncaught: {error}");
        page.RequestFailed += (_, request) => Record($"request failed: {request.Method} {request.Url} ({request.Failure})");

        // The console says only "failed to load resource"; this says which.
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                Record($"response {response.Status}: {response.Request.Method} {response.Url}");
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>
    /// Set while a test stops the server on purpose: the failed requests and console errors of an outage are
    /// what the test provokes, not defects.
    /// </summary>
    public bool ExpectingOutage { get; set; }

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    public void AssertNoErrors() => Assert.True(Errors.Count == 0, "The page reported errors:\n" + string.Join('\n', Errors));

    public async ValueTask DisposeAsync() => await Context.CloseAsync();

    private void Record(string error)
    {
        if (ExpectingOutage)
        {
            return;
        }

        lock (_errors)
        {
            _errors.Add(error);
        }
    }
}
