using Monitor.Cli;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests;

/// <summary>
/// A server whose clock stands in October 2017, loaded with the 2017 Q3 fixture through <c>monitor import-monthly</c>:
/// monthly points are kept 61 months back from the server's now, so 2017 only lives on a server that thinks it is 2017.
/// </summary>
public sealed class ReportAppFactory() : MonitorAppFactory(new DateTimeOffset(2017, 10, 16, 12, 0, 0, TimeSpan.Zero))
{
    /// <summary>Built from the force report's figures by ReportData/build_fixture.py (docs/reports.md).</summary>
    public static string FixtureFile => Path.Combine(AppContext.BaseDirectory, "ReportData", "warwickshire-2017-q3-monthly.csv");

    /// <summary>Runs <c>monitor import-monthly</c> against this server, as an operator would.</summary>
    public (int Exit, string Output, string Errors) ImportMonthly(string file)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = MonitorCli.Run(["import-monthly", file, "--server", ClientOptions.BaseAddress.ToString(), "--api-key", FeedKey], TextReader.Null, output, errors);
        return (exit, output.ToString(), errors.ToString());
    }
}

/// <summary>The 2017 server, loaded once, and a browser, shared by the report's API and page tests.</summary>
public sealed class ReportFixture : IAsyncLifetime
{
    public ReportAppFactory App { get; } = new();

    /// <summary>What the first import said.</summary>
    public (int Exit, string Output, string Errors) FirstImport { get; private set; }

    public Task InitializeAsync()
    {
        FirstImport = App.ImportMonthly(ReportAppFactory.FixtureFile);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ReportCollection : ICollectionFixture<ReportFixture>, ICollectionFixture<Chromium>
{
    public const string Name = "report";
}
