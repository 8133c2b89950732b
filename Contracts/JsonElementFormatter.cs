using System.Buffers;
using System.Text.Json;
using MessagePack;
using MessagePack.Formatters;

namespace ChatHub.Contracts;

/// <summary>Carries a <see cref="JsonElement"/> (content_attributes, submitted values, custom attributes) as the
/// MessagePack value of the same shape: an object as a map with string keys, an array as an array, a string, a
/// boolean, nil, a number as an integer when it is a whole number that fits 64 bits and as a float64 otherwise.
/// MessagePack's own resolvers do not know JsonElement (the contractless one would write its ValueKind and read back
/// an empty element), so both ends of the MessagePack hub protocol register this one (<see cref="HubMessagePack"/>).</summary>
/// <remarks>Reading accepts exactly what JSON can hold: binary, extension types, non-string map keys and non-finite
/// floats are refused, and so is nesting deeper than <see cref="MaxDepth"/> (System.Text.Json's default, which bounds
/// the JSON protocol the same way). A refusal throws <see cref="MessagePackSerializationException"/>: on the server
/// the call's arguments do not bind, and the caller gets a validation error.</remarks>
public sealed class JsonElementFormatter : IMessagePackFormatter<JsonElement>
{
    public static readonly JsonElementFormatter Instance = new();

    /// <summary>The deepest nesting of arrays and objects read.</summary>
    public const int MaxDepth = 64;

    public void Serialize(ref MessagePackWriter writer, JsonElement value, MessagePackSerializerOptions options)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var count = 0;
                foreach (var _ in value.EnumerateObject()) count++;
                writer.WriteMapHeader(count);
                foreach (var property in value.EnumerateObject())
                {
                    writer.Write(property.Name);
                    Serialize(ref writer, property.Value, options);
                }
                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(value.GetArrayLength());
                foreach (var item in value.EnumerateArray()) Serialize(ref writer, item, options);
                break;
            case JsonValueKind.String:
                writer.Write(value.GetString());
                break;
            case JsonValueKind.Number:
                if (value.TryGetInt64(out var whole)) writer.Write(whole);
                else if (value.TryGetUInt64(out var large)) writer.Write(large);
                else if (value.TryGetDouble(out var real) && double.IsFinite(real)) writer.Write(real);
                // Past float64's range (1e400): no MessagePack number holds it, so its JSON text goes as a string
                // rather than failing the whole message.
                else writer.Write(value.GetRawText());
                break;
            case JsonValueKind.True:
                writer.Write(true);
                break;
            case JsonValueKind.False:
                writer.Write(false);
                break;
            case JsonValueKind.Null:
                writer.WriteNil();
                break;
            default:
                // default(JsonElement): System.Text.Json refuses to write it too.
                throw new MessagePackSerializationException("An undefined JsonElement has no value to write.");
        }
    }

    public JsonElement Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = MaxDepth }))
        {
            Copy(ref reader, json, 0);
        }
        var jsonReader = new Utf8JsonReader(buffer.WrittenSpan, new JsonReaderOptions { MaxDepth = MaxDepth });
        return JsonElement.ParseValue(ref jsonReader);
    }

    private static void Copy(ref MessagePackReader reader, Utf8JsonWriter json, int depth)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Map:
                Enter(depth);
                var properties = reader.ReadMapHeader();
                json.WriteStartObject();
                for (var i = 0; i < properties; i++)
                {
                    if (reader.NextMessagePackType != MessagePackType.String)
                    {
                        throw new MessagePackSerializationException("A JSON object's keys are strings; this map has another key.");
                    }
                    json.WritePropertyName(reader.ReadString()!);
                    Copy(ref reader, json, depth + 1);
                }
                json.WriteEndObject();
                break;
            case MessagePackType.Array:
                Enter(depth);
                var items = reader.ReadArrayHeader();
                json.WriteStartArray();
                for (var i = 0; i < items; i++) Copy(ref reader, json, depth + 1);
                json.WriteEndArray();
                break;
            case MessagePackType.String:
                json.WriteStringValue(reader.ReadString());
                break;
            case MessagePackType.Integer:
                if (reader.NextCode == MessagePackCode.UInt64) json.WriteNumberValue(reader.ReadUInt64());
                else json.WriteNumberValue(reader.ReadInt64());
                break;
            case MessagePackType.Float:
                var real = reader.ReadDouble();
                if (!double.IsFinite(real)) throw new MessagePackSerializationException("JSON has no NaN or infinite numbers.");
                json.WriteNumberValue(real);
                break;
            case MessagePackType.Boolean:
                json.WriteBooleanValue(reader.ReadBoolean());
                break;
            case MessagePackType.Nil:
                reader.ReadNil();
                json.WriteNullValue();
                break;
            default:
                throw new MessagePackSerializationException($"A {reader.NextMessagePackType} value has no JSON form.");
        }
    }

    private static void Enter(int depth)
    {
        if (depth >= MaxDepth)
        {
            throw new MessagePackSerializationException($"JSON values nest at most {MaxDepth} levels.");
        }
    }
}
