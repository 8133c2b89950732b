using ChatHub.Contracts;
using ChatHub.Server.Common;
using Microsoft.AspNetCore.SignalR;

namespace ChatHub.Server.Channels.Hub;

/// <summary>Turns domain errors into API.md's "code: detail" HubExceptions; anything else is logged and shown
/// only as "unavailable", never with its message.</summary>
public sealed class HubErrorFilter(ILogger<HubErrorFilter> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(context);
        }
        catch (ChatException ex)
        {
            throw new HubException($"{ex.Code}: {ex.Detail}");
        }
        catch (HubException)
        {
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Hub method {Method} failed", context.HubMethodName);
            throw new HubException($"{ErrorCodes.Unavailable}: the server could not complete {context.HubMethodName}");
        }
    }
}
