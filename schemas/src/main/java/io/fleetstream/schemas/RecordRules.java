package io.fleetstream.schemas;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * The rules every text and number of a contract record must keep, read from the record's own schema,
 * so that a new command, event or device message is guarded from the day it is written: the gateway
 * checks each record it produces, the command service each command it consumes.
 *
 * <p>Every string is a single line of at most 256 characters ({@link Text#lineProblem}) unless its field
 * says otherwise with these schema properties (which Avro's parsing fingerprint ignores, so adding them
 * changes no schema version):
 * <ul>
 *   <li>{@code "fleet.text": "json"} a JSON text storable as jsonb ({@link Text#jsonProblem}), at most 65,536 characters;</li>
 *   <li>{@code "fleet.maxLength"} the longest it may be, in characters;</li>
 *   <li>{@code "fleet.pattern"} a regular expression the whole text must match;</li>
 *   <li>{@code "fleet.notBlank": true} not empty nor only blanks;</li>
 *   <li>{@code "fleet.field"} the field's name as callers know it (the REST body's), for messages.</li>
 * </ul>
 * Doubles and floats must be finite.
 */
public final class RecordRules {

    static final int DEFAULT_LINE_LENGTH = 256;
    static final int DEFAULT_JSON_LENGTH = 64 * 1024;

    /** One broken rule: the field (a path such as {@code points[3].metric}) and what is wrong with it. */
    public record Violation(String field, String message) {
    }

    private record Rule(String name, boolean json, int maxLength, Pattern pattern, boolean notBlank) {
    }

    /**
     * The rules of each record schema's fields, by field position, found by identity: a schema's (and a field's)
     * own hash code walks the whole schema each time, which cost more than the checks. Published whole, never
     * changed after; a map grown past {@value #MAX_SCHEMAS} schemas (schemas parsed anew for each record) starts
     * over rather than keep them all.
     */
    private static volatile Map<Schema, Rule[]> rulesBySchema = new IdentityHashMap<>();
    private static final int MAX_SCHEMAS = 1_000;
    private static final Rule MAP_KEY = new Rule("", false, DEFAULT_LINE_LENGTH, null, true);

    private RecordRules() {
    }

    /** Every broken rule of the record and the records inside it; empty when it keeps them all. */
    public static List<Violation> check(IndexedRecord record) {
        List<Violation> violations = new ArrayList<>();
        checkRecord(record, "", violations);
        return violations;
    }

    /**
     * Throws when the record breaks a rule: for consumers of records that came past the edge (an outside
     * producer on a topic), which must not hand them on to storage as they are.
     *
     * @throws InvalidRecordException naming every broken rule, quoting none of the record's text
     */
    public static void require(IndexedRecord record) {
        List<Violation> violations = check(record);
        if (!violations.isEmpty()) {
            throw new InvalidRecordException(record.getSchema().getName() + " breaks its contract: " + String.join("; ",
                    violations.stream().map(v -> v.field() + " " + v.message()).toList()));
        }
    }

    /** A record whose fields break the rules of its contract. */
    public static class InvalidRecordException extends RuntimeException {
        public InvalidRecordException(String message) {
            super(message);
        }
    }

    private static void checkRecord(IndexedRecord record, String prefix, List<Violation> violations) {
        Rule[] rules = rulesOf(record.getSchema());
        for (Schema.Field field : record.getSchema().getFields()) {
            Rule rule = rules[field.pos()];
            checkValue(field.schema(), record.get(field.pos()), rule, prefix + rule.name(), violations);
        }
    }

    private static Rule[] rulesOf(Schema schema) {
        Rule[] rules = rulesBySchema.get(schema);
        if (rules == null) {
            rules = schema.getFields().stream().map(RecordRules::ruleOf).toArray(Rule[]::new);
            synchronized (RecordRules.class) {
                Map<Schema, Rule[]> next = rulesBySchema.size() >= MAX_SCHEMAS ? new IdentityHashMap<>()
                        : new IdentityHashMap<>(rulesBySchema);
                next.put(schema, rules);
                rulesBySchema = next;
            }
        }
        return rules;
    }

    private static void checkValue(Schema schema, Object value, Rule rule, String path, List<Violation> violations) {
        if (value == null) {
            return; // nullability is Avro's to enforce
        }
        switch (schema.getType()) {
            case UNION -> {
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL) {
                        checkValue(branch, value, rule, path, violations);
                        return;
                    }
                }
            }
            case STRING, ENUM -> checkText(value.toString(), rule, path, violations);
            case RECORD -> checkRecord((IndexedRecord) value, path + ".", violations);
            case ARRAY -> {
                int index = 0;
                for (Object item : (Collection<?>) value) {
                    checkValue(schema.getElementType(), item, rule, path + "[" + index++ + "]", violations);
                }
            }
            case MAP -> {
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    String key = entry.getKey().toString();
                    checkText(key, MAP_KEY, path + " key", violations);
                    checkValue(schema.getValueType(), entry.getValue(), rule,
                            path + "[" + Text.printable(key, 40) + "]", violations);
                }
            }
            case DOUBLE -> {
                if (!Double.isFinite((Double) value)) {
                    violations.add(new Violation(path, "must be a finite number"));
                }
            }
            case FLOAT -> {
                if (!Float.isFinite((Float) value)) {
                    violations.add(new Violation(path, "must be a finite number"));
                }
            }
            default -> {
                // numbers, booleans and bytes carry no text to guard
            }
        }
    }

    private static void checkText(String text, Rule rule, String path, List<Violation> violations) {
        if (text.length() > rule.maxLength()) {
            violations.add(new Violation(path, "must be at most " + rule.maxLength() + " characters"));
            return;
        }
        String problem = rule.json() ? Text.jsonProblem(text) : Text.lineProblem(text);
        if (problem != null) {
            violations.add(new Violation(path, problem));
        } else if (rule.notBlank() && text.isBlank()) {
            violations.add(new Violation(path, "must not be blank"));
        } else if (rule.pattern() != null && !rule.pattern().matcher(text).matches()) {
            violations.add(new Violation(path, "must match " + rule.pattern().pattern()));
        }
    }

    private static Rule ruleOf(Schema.Field field) {
        boolean json = "json".equals(field.getProp("fleet.text"));
        Object max = field.getObjectProp("fleet.maxLength");
        String pattern = field.getProp("fleet.pattern");
        String name = field.getProp("fleet.field");
        return new Rule(name == null ? field.name() : name, json,
                max instanceof Number n ? n.intValue() : json ? DEFAULT_JSON_LENGTH : DEFAULT_LINE_LENGTH,
                pattern == null ? null : Pattern.compile(pattern),
                Boolean.TRUE.equals(field.getObjectProp("fleet.notBlank")));
    }
}
