using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Grains.KafkaFormats.SchemaRegistry;
using Tributary.Gateway.Http;
using Tributary.Gateway.SchemaRegistry.Json;
using Tributary.Grains.Interfaces.Schemas;

namespace Tributary.Gateway.SchemaRegistry;

/// <summary>
/// What every registry endpoint shares: the content types it takes and gives, Confluent's error envelope (the HTTP
/// status is the code's first three digits), and reading a schema from a request body.
/// </summary>
internal static partial class RegistryHttp
{
    public const string ContentType = "application/vnd.schemaregistry.v1+json";

    private static readonly string[] AcceptedContentTypes =
        [ContentType, "application/vnd.schemaregistry+json", "application/json", "application/octet-stream"];

    public static IResult Json<T>(T body, int status = StatusCodes.Status200OK) =>
        Results.Json(body, RegistryJson.Options, ContentType, status);

    public static IResult Error(int code, string message) =>
        Json(new ErrorEnvelope(code, message), code >= 1000 ? code / 100 : code);

    public static IResult From<T>(RegistryResult<T> result, Func<T, IResult> ok) =>
        result.ErrorCode == RegistryErrors.None ? ok(result.Value!) : Error(result.ErrorCode, result.Message ?? "");

    /// <summary>The body as <typeparamref name="T"/>, or the error to answer: 415 for a content type the API does not take, 400 for bad JSON.</summary>
    public static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpRequest request, ILogger logger)
        where T : class
    {
        var contentType = request.ContentType?.Split(';')[0].Trim();
        if (contentType is not null && !AcceptedContentTypes.Contains(contentType, StringComparer.OrdinalIgnoreCase))
        {
            LogRejected(logger, request.Path, $"unsupported content type {contentType}");
            return (null, Error(StatusCodes.Status415UnsupportedMediaType, "HTTP 415 Unsupported Media Type"));
        }

        try
        {
            var depth = request.HttpContext.RequestServices.GetRequiredService<IOptions<RegistryLimits>>().Value.MaxJsonDepth;
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, JsonBodies.WithMaxDepth(RegistryJson.Options, depth));
            if (body is null)
            {
                return (null, Error(StatusCodes.Status400BadRequest, "Request body is empty"));
            }

            return (body, null);
        }
        catch (JsonException e)
        {
            LogRejected(logger, request.Path, e.Message);
            return (null, Error(StatusCodes.Status400BadRequest, $"Invalid JSON: {e.Message}"));
        }
    }

    /// <summary>A registration or lookup body as a submission, or 42201 when it names no schema or a reference is incomplete.</summary>
    public static async Task<(SchemaSubmission? Submission, IResult? Error)> ReadSubmissionAsync(HttpRequest request, bool normalize, ILogger logger)
    {
        var (body, error) = await ReadAsync<SchemaRequestBody>(request, logger);
        return body is null ? (null, error) : Submission(body, normalize);
    }

    /// <summary>A registration body as a submission, or 42201 when it names no schema or a reference is incomplete.</summary>
    public static (SchemaSubmission? Submission, IResult? Error) Submission(SchemaRequestBody body, bool normalize)
    {
        var (submission, problem) = SubmissionOrError(body, normalize);
        return (submission, problem is null ? null : Error(problem.ErrorCode, problem.Message));
    }

    /// <summary>A registration body as a submission, or the error body saying why it is none.</summary>
    public static (SchemaSubmission? Submission, ErrorEnvelope? Error) SubmissionOrError(SchemaRequestBody body, bool normalize)
    {
        if (string.IsNullOrWhiteSpace(body.Schema))
        {
            return (null, new ErrorEnvelope(RegistryErrors.InvalidSchema, "Empty schema"));
        }

        var references = new List<SchemaReferenceData>();
        foreach (var reference in body.References ?? [])
        {
            if (reference.Name is null || reference.Subject is null || reference.Version is not { } version)
            {
                return (null, new ErrorEnvelope(RegistryErrors.InvalidSchema, "Invalid reference: name, subject and version are required"));
            }

            references.Add(new SchemaReferenceData(reference.Name, reference.Subject, version));
        }

        var definition = new SchemaDefinition((body.SchemaType ?? "AVRO").ToUpperInvariant(), body.Schema, references, body.Metadata?.ToData(), body.RuleSet?.ToData());
        return (new SchemaSubmission(definition, normalize,
            body.Id is >= 0 ? body.Id : null, body.Version is > 0 or -1 ? body.Version : null), null);
    }

    /// <summary>
    /// The definition with its schema in the form the <c>format</c> query parameter asks for (<c>serialized</c>: a
    /// Protobuf descriptor in base64); as stored without one.
    /// </summary>
    public static async Task<RegistryResult<SchemaDefinition>> FormattedAsync(HttpRequest request, IGrainFactory grains, SchemaDefinition definition, string context)
    {
        var format = request.Query["format"].ToString();
        if (format.Length == 0)
        {
            return RegistryResult<SchemaDefinition>.Ok(definition);
        }

        var result = await grains.GetGrain<ISchemaFormatterGrain>(0).FormatAsync(definition, format, context);
        return result.ErrorCode == RegistryErrors.None
            ? RegistryResult<SchemaDefinition>.Ok(definition with { Schema = result.Value! })
            : RegistryResult<SchemaDefinition>.Fail(result.ErrorCode, result.Message ?? "");
    }

    public static bool Flag(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var value) && bool.TryParse(value, out var flag) && flag;

    /// <summary>AVRO is the default and is left out of responses, as Confluent does.</summary>
    public static string? TypeForResponse(string schemaType) => schemaType == "AVRO" ? null : schemaType;

    public static List<ReferenceBody>? ReferencesForResponse(IReadOnlyList<SchemaReferenceData> references) =>
        references.Count == 0 ? null : references.Select(r => new ReferenceBody(r.Name, r.Subject, r.Version)).ToList();

    public static SchemaBody SchemaBodyOf(SchemaDefinition definition, int? maxId = null) =>
        new(definition.Schema, TypeForResponse(definition.SchemaType), ReferencesForResponse(definition.References), maxId,
            MetadataBody.Of(definition.Metadata), RuleSetBody.Of(definition.RuleSet));

    /// <summary>
    /// A subject from its route value: Kestrel decodes a path but leaves <c>%2F</c>, so a subject with a slash
    /// arrives still escaped.
    /// </summary>
    public static string Subject(string routeValue) =>
        routeValue.Contains('%', StringComparison.Ordinal) ? routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase) : routeValue;

    /// <summary>The <c>offset</c> and <c>limit</c> query parameters applied to a list (a negative limit means all).</summary>
    public static List<T> Page<T>(HttpRequest request, IEnumerable<T> items)
    {
        var offset = int.TryParse(request.Query["offset"], out var o) && o > 0 ? o : 0;
        var limit = int.TryParse(request.Query["limit"], out var l) && l >= 0 ? l : int.MaxValue;
        return items.Skip(offset).Take(limit).ToList();
    }

    /// <summary>A subject from its route value, with its context (<c>:.:name</c> is the default context's <c>name</c>).</summary>
    public static QualifiedSubject Qualified(string routeValue) => QualifiedSubject.Parse(Subject(routeValue));

    /// <summary>42208 for a subject Confluent refuses (<see cref="QualifiedSubject.IsValid"/>), null for one it takes.</summary>
    public static IResult? InvalidSubject(HttpRequest request, RegistryRejections rejections, string routeSubject, bool configOrMode)
    {
        var subject = Subject(routeSubject);
        if (QualifiedSubject.IsValid(subject, configOrMode))
        {
            return null;
        }

        rejections.IfRejected(request, RegistryErrors.InvalidSubject, subject);
        return Error(RegistryErrors.InvalidSubject, $"The specified subject '{subject}' is not a valid.");
    }

    public static ISchemaSubjectGrain SubjectGrain(IGrainFactory grains, string subject) => grains.SchemaSubject(Qualified(subject));

    public static ISchemaRegistryGrain Registry(IGrainFactory grains, string context = QualifiedSubject.DefaultContext) => grains.SchemaRegistry(context);

    public static SubjectVersionBody VersionBody(SubjectVersion version) => new(
        version.Subject, version.Version, version.Id, TypeForResponse(version.Definition.SchemaType),
        ReferencesForResponse(version.Definition.References), version.Definition.Schema,
        MetadataBody.Of(version.Definition.Metadata), RuleSetBody.Of(version.Definition.RuleSet));

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema registry request {Path} rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string path, string reason);
}
