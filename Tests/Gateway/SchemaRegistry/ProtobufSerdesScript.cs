namespace Tributary.Tests.Gateway.SchemaRegistry;

/// <summary>
/// The Node.js side of <see cref="ProtobufSerdesTests"/>: Confluent's JavaScript Protobuf serializer and deserializer
/// over message types built at run time (bufbuild), as generated code would declare them. <c>MODE</c> serialize
/// registers the schema (with its import as a reference) and prints the records' bytes in hex; deserialize reads
/// hex records back. <c>VARIANT</c> picks the schema: v1, v2 (a field added) or bad (a field's kind changed).
/// </summary>
internal static class ProtobufSerdesScript
{
    public const string Text = """
        const { create, createFileRegistry } = require('@bufbuild/protobuf');
        const { FileDescriptorProtoSchema, FieldDescriptorProto_Type: T, FieldDescriptorProto_Label: L,
                file_google_protobuf_timestamp, timestampFromDate } = require('@bufbuild/protobuf/wkt');
        const { ProtobufSerializer, ProtobufDeserializer } = require('@confluentinc/schemaregistry/dist/serde/protobuf');
        const { SerdeType } = require('@confluentinc/schemaregistry/dist/serde/serde');
        const { SchemaRegistryClient } = require('@confluentinc/schemaregistry');

        const variant = process.env.VARIANT;
        const address = create(FileDescriptorProtoSchema, {
          name: 'example/address.proto', package: 'example', syntax: 'proto3',
          messageType: [{ name: 'Address', field: [{ name: 'city', number: 1, type: T.STRING, label: L.OPTIONAL, jsonName: 'city' }] }],
        });
        const personFields = [
          { name: 'name', number: 1, type: T.STRING, label: L.OPTIONAL, jsonName: 'name' },
          { name: 'age', number: 2, type: variant === 'bad' ? T.STRING : T.INT32, label: L.OPTIONAL, jsonName: 'age' },
          { name: 'address', number: 3, type: T.MESSAGE, label: L.OPTIONAL, typeName: '.example.Address', jsonName: 'address' },
          { name: 'born', number: 4, type: T.MESSAGE, label: L.OPTIONAL, typeName: '.google.protobuf.Timestamp', jsonName: 'born' },
          { name: 'tags', number: 5, type: T.MESSAGE, label: L.REPEATED, typeName: '.example.Person.TagsEntry', jsonName: 'tags' },
        ];
        if (variant === 'v2') personFields.push({ name: 'nickname', number: 6, type: T.STRING, label: L.OPTIONAL, jsonName: 'nickname' });
        const person = create(FileDescriptorProtoSchema, {
          name: 'example/person.proto', package: 'example', syntax: 'proto3',
          dependency: ['example/address.proto', 'google/protobuf/timestamp.proto'],
          messageType: [
            { name: 'Other', field: [{ name: 'x', number: 1, type: T.INT32, label: L.OPTIONAL, jsonName: 'x' }] },
            { name: 'Person', field: personFields, nestedType: [
                { name: 'TagsEntry', options: { mapEntry: true }, field: [
                  { name: 'key', number: 1, type: T.STRING, label: L.OPTIONAL, jsonName: 'key' },
                  { name: 'value', number: 2, type: T.STRING, label: L.OPTIONAL, jsonName: 'value' }] },
                { name: 'Inner', field: [{ name: 'y', number: 1, type: T.STRING, label: L.OPTIONAL, jsonName: 'y' }] }] },
          ],
        });
        const addressFiles = createFileRegistry(address, () => undefined);
        const files = createFileRegistry(person, name =>
          name === 'google/protobuf/timestamp.proto' ? file_google_protobuf_timestamp
          : name === 'example/address.proto' ? addressFiles.getFile('example/address.proto') : undefined);
        const Person = files.getMessage('example.Person');
        const Inner = files.getMessage('example.Person.Inner');
        const client = SchemaRegistryClient.newClient({ baseURLs: [process.env.REGISTRY] });
        const topic = process.env.TOPIC;

        (async () => {
          if (process.env.MODE === 'serialize') {
            const serializer = new ProtobufSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true });
            serializer.registry.add(Person);
            serializer.registry.add(Inner);
            const records = [];
            try {
              for (let i = 0; i < 3; i++) {
                const fields = { name: 'person-' + i, address: { city: 'city-' + i }, tags: { k: 'v' + i },
                  born: timestampFromDate(new Date(Date.UTC(2000, 0, 1 + i))) };
                fields.age = variant === 'bad' ? String(i) : 40 + i;
                if (variant === 'v2') fields.nickname = 'nick-' + i;
                records.push(Buffer.from(await serializer.serialize(topic, create(Person, fields))).toString('hex'));
              }
              records.push(Buffer.from(await serializer.serialize(topic, create(Inner, { y: 'inner' }))).toString('hex'));
              process.stdout.write(JSON.stringify({ records }));
            } catch (e) {
              process.stdout.write(JSON.stringify({ error: String(e && e.message || e) }));
            }
          } else {
            const deserializer = new ProtobufDeserializer(client, SerdeType.VALUE, {});
            const values = [];
            for (const hex of JSON.parse(process.env.RECORDS)) {
              const m = await deserializer.deserialize(topic, Buffer.from(hex, 'hex'));
              values.push(m.$typeName === 'example.Person.Inner' ? { type: m.$typeName, y: m.y } : {
                type: m.$typeName, name: m.name, age: String(m.age), city: m.address.city, tag: m.tags.k,
                born: Number(m.born.seconds), nickname: m.nickname === undefined ? null : m.nickname });
            }
            process.stdout.write(JSON.stringify({ values }));
          }
        })().catch(e => { process.stderr.write(String((e && e.stack) || e)); process.exit(1); });
        """;
}
