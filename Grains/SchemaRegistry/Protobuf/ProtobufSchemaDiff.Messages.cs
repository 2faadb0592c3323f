using Google.Protobuf.Reflection;

namespace Tributary.Grains.SchemaRegistry.Protobuf;

/// <summary>Messages: their fields by number, their oneofs, and the types their fields name.</summary>
internal sealed partial class ProtobufSchemaDiff
{
    private enum Kind { Scalar, Message, Map }

    /// <summary>Scalars that share a wire encoding, so that one reads what the other wrote (enums are general numbers).</summary>
    private enum ScalarKind { GeneralNumber, SignedNumber, StringOrBytes, Fixed32, Fixed64, Float, Double }

    private sealed record Fields(Dictionary<int, FieldDescriptorProto> ByNumber, Dictionary<int, string> OneofOf, Dictionary<string, List<FieldDescriptorProto>> Oneofs);

    private void CompareMessage(DescriptorProto original, DescriptorProto update, (bool Original, bool Update) proto3)
    {
        // A message met again inside its own comparison (a recursive type) has its fields compared once, further out.
        if (_comparing.Add(original))
        {
            try
            {
                CompareFields(original, update, proto3);
            }
            finally
            {
                _comparing.Remove(original);
            }
        }

        CompareTypes(Nested(original), original.EnumTypes, Nested(update), update.EnumTypes, proto3);
    }

    private static List<DescriptorProto> Nested(DescriptorProto message)
    {
        var groups = message.Fields.Where(f => f.type == FieldDescriptorProto.Type.TypeGroup).Select(f => Short(f.TypeName)).ToHashSet(StringComparer.Ordinal);
        return groups.Count == 0 ? message.NestedTypes : message.NestedTypes.Where(n => !groups.Contains(n.Name)).ToList();
    }

    private void CompareFields(DescriptorProto originalMessage, DescriptorProto updateMessage, (bool Original, bool Update) proto3)
    {
        var o = Collect(originalMessage);
        var u = Collect(updateMessage);
        var removedOneofs = o.Oneofs.Where(p => !u.Oneofs.ContainsKey(p.Key) && p.Value.All(f => !u.ByNumber.ContainsKey(f.Number)))
            .Select(p => p.Key).ToHashSet(StringComparer.Ordinal);

        foreach (var (name, members) in u.Oneofs)
        {
            Enter(name);
            var sources = new HashSet<string>(StringComparer.Ordinal);
            var fromTopLevel = 0;
            foreach (var field in members)
            {
                if (o.OneofOf.TryGetValue(field.Number, out var before))
                {
                    sources.Add("oneof:" + before);
                }
                else if (o.ByNumber.ContainsKey(field.Number))
                {
                    sources.Add("field:" + field.Number);
                    fromTopLevel++;
                }
            }

            if (sources.Count > 1)
            {
                Add(fromTopLevel > 1 ? ProtobufChange.MULTIPLE_FIELDS_MOVED_TO_ONEOF : ProtobufChange.FIELD_MOVED_TO_EXISTING_ONEOF);
            }

            Leave();
        }

        foreach (var name in o.Oneofs.Keys.Union(u.Oneofs.Keys).Order(StringComparer.Ordinal))
        {
            if (!u.Oneofs.ContainsKey(name) || !o.Oneofs.ContainsKey(name))
            {
                Enter(name);
                Add(u.Oneofs.ContainsKey(name) ? ProtobufChange.ONEOF_ADDED : ProtobufChange.ONEOF_REMOVED);
                Leave();
            }
        }

        foreach (var number in o.ByNumber.Keys.Union(u.ByNumber.Keys).Order())
        {
            var of = o.ByNumber.GetValueOrDefault(number);
            var uf = u.ByNumber.GetValueOrDefault(number);
            var oOneof = o.OneofOf.GetValueOrDefault(number);
            var uOneof = u.OneofOf.GetValueOrDefault(number);
            if (uf is null)
            {
                if (oOneof is null)
                {
                    AddAt(number, null, of!.label == FieldDescriptorProto.Label.LabelRequired ? ProtobufChange.REQUIRED_FIELD_REMOVED : ProtobufChange.FIELD_REMOVED);
                }
                else if (!removedOneofs.Contains(oOneof))
                {
                    AddAt(number, oOneof, ProtobufChange.ONEOF_FIELD_REMOVED);
                }
            }
            else if (of is null)
            {
                AddAt(number, uOneof, uOneof is not null ? ProtobufChange.ONEOF_FIELD_ADDED
                    : uf.label == FieldDescriptorProto.Label.LabelRequired ? ProtobufChange.REQUIRED_FIELD_ADDED : ProtobufChange.FIELD_ADDED);
            }
            else
            {
                if (oOneof is not null && uOneof is null)
                {
                    AddAt(number, null, ProtobufChange.ONEOF_FIELD_MOVED_TO_TOP_LEVEL);
                }

                EnterField(number, uOneof);
                CompareField(of, uf, originalMessage, updateMessage, proto3);
                LeaveField(uOneof);
            }
        }
    }

    /// <summary>
    /// A message's fields by number (groups left out, as Confluent's parser keeps them apart), and its oneofs; the
    /// synthetic oneof of a proto3 <c>optional</c> field is not one.
    /// </summary>
    private static Fields Collect(DescriptorProto message)
    {
        var byNumber = new Dictionary<int, FieldDescriptorProto>();
        var oneofOf = new Dictionary<int, string>();
        var oneofs = new Dictionary<string, List<FieldDescriptorProto>>(StringComparer.Ordinal);
        foreach (var field in message.Fields)
        {
            if (field.type == FieldDescriptorProto.Type.TypeGroup)
            {
                continue;
            }

            byNumber.TryAdd(field.Number, field);
            if (OneofOf(message, field) is { } oneof)
            {
                oneofOf[field.Number] = oneof;
                (oneofs.TryGetValue(oneof, out var members) ? members : oneofs[oneof] = []).Add(field);
            }
        }

        return new Fields(byNumber, oneofOf, oneofs);
    }

    private static string? OneofOf(DescriptorProto message, FieldDescriptorProto field) =>
        field.ShouldSerializeOneofIndex() && !field.Proto3Optional && field.OneofIndex >= 0 && field.OneofIndex < message.OneofDecls.Count
            ? message.OneofDecls[field.OneofIndex].Name
            : null;

    private void AddAt(int number, string? oneof, ProtobufChange change)
    {
        EnterField(number, oneof);
        Add(change);
        LeaveField(oneof);
    }

    private void EnterField(int number, string? oneof)
    {
        if (oneof is not null)
        {
            Enter(oneof);
        }

        Enter(number.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private void LeaveField(string? oneof)
    {
        Leave();
        if (oneof is not null)
        {
            Leave();
        }
    }

    private static string Short(string typeName) => typeName[(typeName.LastIndexOf('.') + 1)..];
}
