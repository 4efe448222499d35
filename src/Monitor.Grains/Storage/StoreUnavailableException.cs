namespace Monitor.Grains.Storage;

/// <summary>
/// A store (a measure journal, a lifecycle record store) could not store or read what it was asked to: the store is down, slow or refused. Nothing the
/// call carried may be taken as stored, so the ingest path answers 503 and the feed sends it again.
/// </summary>
[GenerateSerializer]
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
