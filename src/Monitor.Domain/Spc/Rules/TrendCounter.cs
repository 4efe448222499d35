namespace Monitor.Domain.Spc;

/// <summary>
/// Rule 2: the length of the trend ending at the latest point, counted in points (a trend of 7 is seven
/// points, each strictly above, or below, the one before). Equal neighbours break a trend.
/// </summary>
internal struct TrendCounter
{
    private bool _any;
    private double _previous;
    private int _previousIndex;

    public Side Direction { get; private set; }

    public int Length { get; private set; }

    public int Start { get; private set; }

    public void Add(int index, double value)
    {
        var step = _any ? Sides.OfMean(value, _previous) : Side.None;
        if (step == Side.None)
        {
            Direction = Side.None;
            Length = 1;
            Start = index;
        }
        else if (step == Direction)
        {
            Length++;
        }
        else
        {
            Direction = step;
            Length = 2;
            Start = _previousIndex;
        }
        _any = true;
        _previous = value;
        _previousIndex = index;
    }
}
