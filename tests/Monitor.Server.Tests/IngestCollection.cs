using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests;

/// <summary>One server shared by the ingest tests; they run one after another and measure what they add.</summary>
[CollectionDefinition(Name)]
public sealed class IngestCollection : ICollectionFixture<MonitorAppFactory>
{
    public const string Name = "ingest";
}
