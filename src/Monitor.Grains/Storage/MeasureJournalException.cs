namespace Monitor.Grains.Storage;

/// <summary>
/// The journal could not store or read what it was asked to: the store is down, slow or refused. Nothing the
/// call carried may be taken as stored, so the ingest path answers 503 and the feed sends it again.
/// </summary>
[GenerateSerializer]
public sealed class MeasureJournalException : Exception
{
    public MeasureJournalException()
    {
    }

    public MeasureJournalException(string message)
        : base(message)
    {
    }

    public MeasureJournalException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
