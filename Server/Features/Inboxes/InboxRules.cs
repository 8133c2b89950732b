namespace ChatHub.Server.Features.Inboxes;

public static class InboxRules
{
    public static void RequireAdministrator(Identity.Caller caller)
    {
        if (!caller.IsAgent || !caller.IsAdministrator) throw Common.ChatException.Forbidden("administrators only");
    }
}
