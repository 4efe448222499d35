using Monitor.Grains.Storage;

namespace Monitor.Server.Api;

/// <summary>Which failures mean "could not store, try again" (503) rather than a bug (500).</summary>
public static class StorageFailure
{
    public static bool IsStorageFailure(Exception e) => e switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.All(IsStorageFailure),
        StoreUnavailableException or RecordsChangedException or TimeoutException or Orleans.Runtime.SiloUnavailableException or Orleans.Runtime.OrleansMessageRejectionException => true,
        _ when e.GetType().FullName?.StartsWith("StackExchange.Redis.", StringComparison.Ordinal) == true => true,
        _ => e.InnerException is not null && IsStorageFailure(e.InnerException),
    };
}
