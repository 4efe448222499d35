using Microsoft.AspNetCore.Diagnostics;

namespace Monitor.Server.Auth;

/// <summary>
/// The last guard of a request. A request the framework itself found malformed keeps its 4xx; anything else is
/// a defect: logged here with its stack, answered with a bare 500 problem (the trace id links the two) so no
/// internal detail reaches the caller.
/// </summary>
public sealed partial class GenericExceptionHandler(ILogger<GenericExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is BadHttpRequestException bad)
        {
            LogBadRequest(logger, bad.StatusCode, httpContext.Request.Method, httpContext.Request.Path.Value ?? "", bad.Message);
            await ProblemResponses.WriteAsync(httpContext, bad.StatusCode, "Bad request", "The request could not be read.");
            return true;
        }

        LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path.Value ?? "");
        await ProblemResponses.WriteAsync(
            httpContext, StatusCodes.Status500InternalServerError, "Internal error", "The server failed; the failure is logged under this trace id.");
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} refused with {Status}: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, int status, string method, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception in {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
