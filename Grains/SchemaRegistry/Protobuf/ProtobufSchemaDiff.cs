using Google.Protobuf.Reflection;

namespace Tributary.Grains.SchemaRegistry.Protobuf;

/// <summary>
/// Confluent's Protobuf compatibility rules: the changes from a writer's schema (original) to a reader's (update).
/// The package must stay; messages and enums are matched by name within their scope, fields by number. A field's
/// kind (scalar, message, map) must stay; scalars may change only within a group that shares a wire encoding
/// (ProtobufSchemaDiff.Fields.cs); a message-typed field must keep its type's name, and a type from another
/// subject's (or another version's) file is compared in full. Oneofs follow Confluent's newest rules: fields may
/// join a new oneof alone, but several fields that were apart may not end in one. Labels count only where both
/// sides write one, as Confluent's parser sees them.
/// </summary>
internal sealed partial class ProtobufSchemaDiff
{
    /// <summary>How many compatible differences one comparison keeps at most; incompatible ones are all kept.</summary>
    private const int MaxDifferences = 1000;

    /// <summary>
    /// How long a chain of message types from other files is followed (each recursion costs stack); a longer one is
    /// refused as a changed type rather than compared.
    /// </summary>
    private const int MaxNamedTypeDepth = 16;

    private int _namedTypeDepth;

    private readonly ProtobufParsedSchema _original;
    private readonly ProtobufParsedSchema _update;
    private readonly List<string> _path = [];
    private readonly HashSet<DescriptorProto> _comparing = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(string, string), (List<ProtobufDifference> Differences, bool Compatible)> _namedTypes = [];
    private List<ProtobufDifference> _differences = [];
    private HashSet<ProtobufDifference> _seen = [];

    private ProtobufSchemaDiff(ProtobufParsedSchema original, ProtobufParsedSchema update)
    {
        _original = original;
        _update = update;
    }

    public static IReadOnlyList<ProtobufDifference> Compare(ProtobufParsedSchema original, ProtobufParsedSchema update)
    {
        var diff = new ProtobufSchemaDiff(original, update);
        if ((original.File.Package ?? "") != (update.File.Package ?? ""))
        {
            diff.Add(ProtobufChange.PACKAGE_CHANGED);
        }

        var proto3 = (original.File.Syntax == "proto3", update.File.Syntax == "proto3");
        diff.CompareTypes(original.File.MessageTypes, original.File.EnumTypes, update.File.MessageTypes, update.File.EnumTypes, proto3);
        return diff._differences;
    }

    private void CompareTypes(List<DescriptorProto> originalMessages, List<EnumDescriptorProto> originalEnums,
        List<DescriptorProto> updateMessages, List<EnumDescriptorProto> updateEnums, (bool Original, bool Update) proto3)
    {
        var original = Messages(originalMessages);
        var update = Messages(updateMessages);
        foreach (var name in original.Keys.Union(update.Keys))
        {
            Enter(name);
            var inOriginal = original.TryGetValue(name, out var o);
            var inUpdate = update.TryGetValue(name, out var u);
            if (!inUpdate)
            {
                AddUnlessMapEntry(o.Message, ProtobufChange.MESSAGE_REMOVED);
            }
            else if (!inOriginal)
            {
                AddUnlessMapEntry(u.Message, ProtobufChange.MESSAGE_ADDED);
            }
            else
            {
                CompareMessage(o.Message, u.Message, proto3);
                if (o.Index != u.Index)
                {
                    Add(ProtobufChange.MESSAGE_MOVED);
                }
            }

            Leave();
        }

        var originalEnumsByName = originalEnums.DistinctBy(e => e.Name).ToDictionary(e => e.Name, StringComparer.Ordinal);
        var updateEnumsByName = updateEnums.DistinctBy(e => e.Name).ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (var name in originalEnumsByName.Keys.Union(updateEnumsByName.Keys))
        {
            Enter(name);
            if (!updateEnumsByName.TryGetValue(name, out var u))
            {
                Add(ProtobufChange.ENUM_REMOVED);
            }
            else if (!originalEnumsByName.TryGetValue(name, out var o))
            {
                Add(ProtobufChange.ENUM_ADDED);
            }
            else
            {
                CompareEnum(o, u);
            }

            Leave();
        }
    }

    /// <summary>
    /// The messages of a scope by name, with their place among them. Groups are left out (their fields are not
    /// compared, as Confluent's parser keeps them apart), and so are map entries.
    /// </summary>
    private static Dictionary<string, (DescriptorProto Message, int Index)> Messages(List<DescriptorProto> messages)
    {
        var result = new Dictionary<string, (DescriptorProto, int)>(StringComparer.Ordinal);
        var index = 0;
        foreach (var message in messages)
        {
            // A map's entry is compared as the map's key and value, where the map field is.
            if (message.Options?.MapEntry == true)
            {
                continue;
            }

            result.TryAdd(message.Name, (message, index++));
        }

        return result;
    }

    private void AddUnlessMapEntry(DescriptorProto message, ProtobufChange change)
    {
        if (message.Options?.MapEntry != true)
        {
            Add(change);
        }
    }

    private void CompareEnum(EnumDescriptorProto original, EnumDescriptorProto update)
    {
        // With allow_alias, the last constant of a number stands for it, as in Confluent's map.
        var o = new Dictionary<int, string>();
        original.Values.ForEach(v => o[v.Number] = v.Name);
        var u = new Dictionary<int, string>();
        update.Values.ForEach(v => u[v.Number] = v.Name);
        foreach (var number in o.Keys.Union(u.Keys))
        {
            Enter(number.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!u.TryGetValue(number, out var updateName))
            {
                Add(ProtobufChange.ENUM_CONST_REMOVED);
            }
            else if (!o.TryGetValue(number, out var originalName))
            {
                Add(ProtobufChange.ENUM_CONST_ADDED);
            }
            else if (originalName != updateName)
            {
                Add(ProtobufChange.ENUM_CONST_CHANGED);
            }

            Leave();
        }
    }

    private void Enter(string segment) => _path.Add(segment);

    private void Leave() => _path.RemoveAt(_path.Count - 1);

    private void Add(ProtobufChange change) => Add(new ProtobufDifference(change, "#/" + string.Join('/', _path)));

    private void Add(ProtobufDifference difference)
    {
        if ((!difference.IsCompatible || _differences.Count < MaxDifferences) && _seen.Add(difference))
        {
            _differences.Add(difference);
        }
    }
}
