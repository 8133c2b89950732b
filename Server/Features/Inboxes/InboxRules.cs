namespace ChatHub.Server.Features.Inboxes;

public static class InboxRules
{
    public static void RequireAdministrator(Identity.Caller caller)
    {
        var administrator = caller.IsAdministrator && caller.Kind is Identity.CallerKind.Agent or Identity.CallerKind.Operator;
        if (!administrator) throw Common.ChatException.Forbidden("administrators only");
    }
}
