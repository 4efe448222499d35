namespace Monitor.Domain.Spc;

/// <summary>The chart input cannot be charted; the message names what is wrong in the analyst's terms.</summary>
public sealed class ChartInputException : Exception
{
    public ChartInputException()
    {
    }

    public ChartInputException(string message)
        : base(message)
    {
    }

    public ChartInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
