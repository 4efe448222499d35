namespace Monitor.Domain.Spc;

/// <summary>Rule 1, "exceptional": a point strictly above the UCL or strictly below the LCL.</summary>
internal static class BeyondLimits
{
    public static Side Check(double value, PointLimits? limits) => limits switch
    {
        { } l when value > l.Ucl => Side.Above,
        { } l when value < l.Lcl => Side.Below,
        _ => Side.None,
    };
}
