using System.Text.Json;
using System.Text.Json.Nodes;
using ChatHub.Contracts;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace ChatHub.Server.Rest.OpenApi;

/// <summary>The OpenAPI document at /openapi/v1.json and its browsable reference at /docs (Scalar), made exact where
/// the framework's defaults are not: each operation's tag and summary (<see cref="OperationCatalog"/>), the
/// api_access_token security scheme, error answers as problem details, ids as integers (the JSON options also read
/// numbers from strings, which the default schema advertises), optional request fields not required, and enums.
/// Server.Tests/Operations/OpenApiTests.cs validates real answers of every operation against this document.</summary>
public static partial class ApiDocument
{
    public const string SecuritySchemeName = "api_access_token";
    private const string ProblemSchema = "ProblemDetails";

    /// <summary>String and number fields whose values are a fixed set: (declaring type, JSON name) -> values.</summary>
    private static readonly Dictionary<(string Type, string Property), JsonNode[]> Enums = new()
    {
        [("ConversationDto", "status")] = Strings(ConversationStatuses.All),
        [("PublicConversation", "status")] = Strings(ConversationStatuses.All),
        [("ConversationData", "status")] = Strings(ConversationStatuses.All),
        [("StatusBody", "status")] = Strings([.. ConversationStatuses.All, "toggle"]),
        [("SnoozableStatusBody", "status")] = Strings(ConversationStatuses.All),
        [("AgentDto", "role")] = Strings([AgentRoles.Agent, AgentRoles.Administrator]),
        [("CreateAgentBody", "role")] = Strings([AgentRoles.Agent, AgentRoles.Administrator]),
        [("AgentDto", "availability")] = Strings([Availabilities.Online, Availabilities.Busy, Availabilities.Offline]),
        [("TypingBody", "typing_status")] = Strings(["on", "off", "recording"]),
        [("InboxDto", "reply_time")] = Strings(ReplyTimes.All),
        [("CreateInboxBody", "reply_time")] = Strings(ReplyTimes.All),
        [("WebhookDeliveryDto", "status")] = Strings(["pending", "delivered", "failed"]),
        [("MessageDto", "message_type")] = Numbers([MessageTypes.Incoming, MessageTypes.Outgoing, MessageTypes.Activity, MessageTypes.Template]),
        [("MessageData", "message_type")] = Numbers([MessageTypes.Incoming, MessageTypes.Outgoing, MessageTypes.Activity, MessageTypes.Template]),
    };

    public static IServiceCollection AddApiDocument(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        // Anonymous answer shapes are inlined rather than named "AnonymousTypeOf...".
        options.CreateSchemaReferenceId = type => type.Type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false)
            ? null : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        options.AddDocumentTransformer(DescribeDocument);
        options.AddOperationTransformer(DescribeOperation);
        options.AddSchemaTransformer(ExactSchema);
    });

    public static void MapApiDocument(this WebApplication app)
    {
        app.MapOpenApi();
        // A self-hosted admin page calls no outside service: Scalar's script is served from here (the package's own),
        // its fonts (Inter, JetBrains Mono from Scalar's CDN) are left for the system's, and its AI chat ("Ask AI"),
        // MCP, telemetry and developer toolbar ("Deploy", "Generate SDK": scalar.com services) are off.
        // Server.Tests/Browser/ApiReferenceBrowserTests.cs checks every request the page makes.
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("ChatHub API")
            .DisableDefaultFonts()
            .DisableAgent()
            .DisableMcp()
            .DisableTelemetry()
            .HideDeveloperTools());
    }

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "ChatHub",
            Version = "v1",
            Description = "Real-time customer chat, compatible with Chatwoot's client API, application API and webhooks. " +
                          "The realtime side (the SignalR hub /hubs/chat and Chatwoot's /cable) is described in docs/api.md.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = SecuritySchemeName,
            Description = "An agent's access token (Chatwoot's header). Administrators' tokens for the Administration and Webhooks areas.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 problem details; title is API.md's error code, message repeats detail (Chatwoot's field).",
            Required = new HashSet<string> { "title", "status", "detail" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["title"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = Strings([ErrorCodes.Validation, ErrorCodes.Unauthorized, ErrorCodes.Forbidden, ErrorCodes.NotFound,
                        ErrorCodes.Conflict, ErrorCodes.RateLimited, ErrorCodes.TooLarge, ErrorCodes.Unavailable]).ToList(),
                },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["trace_id"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
        };
        document.Tags = new HashSet<OpenApiTag>(OperationCatalog.Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
        return Task.CompletedTask;
    }

    private static Task DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        // The document's path: route constraints ({id:long}) left out, as in the document's keys.
        var path = "/" + RouteConstraint().Replace(context.Description.RelativePath ?? "", "{$1}").TrimEnd('/');
        var method = context.Description.HttpMethod ?? "GET";
        if (OperationCatalog.Find(method, path) is { } entry)
        {
            operation.Summary = entry.Summary;
            operation.Tags = new HashSet<OpenApiTagReference> { new(entry.Tag, context.Document) };
        }
        if (OperationCatalog.NeedsAccessToken(path))
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, context.Document)] = [] },
            ];
            AddProblem(operation, context, "401", "No valid api_access_token");
            AddProblem(operation, context, "403", "Not allowed for this agent");
        }
        if (path != "/healthz" && path != "/demo/config") AddProblem(operation, context, "404", "No such inbox, contact, conversation, message or webhook");
        if (method is "POST" or "PATCH" or "PUT")
        {
            AddProblem(operation, context, "400", "A malformed body");
            AddProblem(operation, context, "413", "The body is larger than Limits:MaxRequestBodyBytes");
            AddProblem(operation, context, "415", "The body is not application/json");
            AddProblem(operation, context, "409", "A conflict (e.g. an email already taken)");
            AddProblem(operation, context, "422", "Validation failed: errors names each field");
            AddProblem(operation, context, "429", "Rate limited: Retry-After says when to try again");
        }
        else if (path != "/healthz")
        {
            AddProblem(operation, context, "422", "A query parameter failed validation");
        }
        return Task.CompletedTask;
    }

    private static void AddProblem(OpenApiOperation operation, OpenApiOperationTransformerContext context, string status, string description)
    {
        operation.Responses ??= new OpenApiResponses();
        if (operation.Responses.ContainsKey(status)) return;
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, context.Document) },
            },
        };
    }

    private static Task ExactSchema(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        // Numbers are also read from strings (JsonSerializerDefaults.Web); they are always written as numbers.
        if (schema.Type is { } type && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0 && (type & JsonSchemaType.String) != 0)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        // Booleans are also read as Rails casts them (LenientJson's converter, which the schema exporter cannot see into);
        // they are always written as true or false.
        if (context.JsonTypeInfo.Type == typeof(bool)) schema.Type = JsonSchemaType.Boolean;
        if (context.JsonTypeInfo.Type == typeof(bool?)) schema.Type = JsonSchemaType.Boolean | JsonSchemaType.Null;
        // Any JSON but null (a nullable one gets null beside it; a schema of {} would match null twice in that oneOf).
        if (context.JsonTypeInfo.Type == typeof(JsonElement))
            schema.Type = JsonSchemaType.Object | JsonSchemaType.Array | JsonSchemaType.String | JsonSchemaType.Number | JsonSchemaType.Boolean;
        // A field that may be null may also be left out of a request.
        if (schema.Required is { Count: > 0 } required)
        {
            foreach (var (name, field) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
                if (IsNullable(field)) required.Remove(name);
            foreach (var field in context.JsonTypeInfo.Properties)
                if (Nullable.GetUnderlyingType(field.PropertyType) is not null || (!field.PropertyType.IsValueType && field.IsSetNullable))
                    required.Remove(field.Name);
        }
        if (context.JsonPropertyInfo is { } property && Enums.TryGetValue((property.DeclaringType.Name, property.Name), out var values))
            schema.Enum = values.ToList();
        return Task.CompletedTask;
    }

    private static bool IsNullable(IOpenApiSchema schema) =>
        (schema.Type is { } type && (type & JsonSchemaType.Null) != 0) ||
        (schema.OneOf?.Any(s => s.Type == JsonSchemaType.Null) ?? false);

    private static JsonNode[] Strings(IEnumerable<string> values) => values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray();
    private static JsonNode[] Numbers(IEnumerable<int> values) => values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray();

    [System.Text.RegularExpressions.GeneratedRegex(@"\{(\w+):[^}]+\}")]
    private static partial System.Text.RegularExpressions.Regex RouteConstraint();
}
