using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests;

/// <summary>One server and one headless Chromium shared by the tests that drive the pages.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<MonitorAppFactory>, ICollectionFixture<Chromium>
{
    public const string Name = "browser";
}
