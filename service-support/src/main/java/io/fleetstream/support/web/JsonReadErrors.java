package io.fleetstream.support.web;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * Says in a caller's words why a JSON body could not be read. Jackson's own messages name Java types,
 * Jackson classes and feature flags ({@code FAIL_ON_…}); none of that helps a caller or belongs in an answer.
 */
public final class JsonReadErrors {

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate (?:Object property|field) \"(.*)\"", Pattern.DOTALL);

    private JsonReadErrors() {
    }

    public static String describe(Throwable cause) {
        JacksonException e = find(cause);
        if (e == null) {
            return "The body is missing or cannot be read as JSON.";
        }
        String field = path(e);
        if (e instanceof PropertyBindingException unknown) {
            // the path already ends with the unknown field's name
            return "Unknown field '" + ClientText.echo(field.isEmpty() ? String.valueOf(unknown.getPropertyName()) : field) + "'.";
        }
        if (e instanceof InputCoercionException) {
            return field.isEmpty() ? "A number is out of range." : "Field '" + ClientText.echo(field) + "' is a number out of range.";
        }
        if (e instanceof StreamConstraintsException) {
            return "The body exceeds a JSON limit (" + limit(e.getOriginalMessage()) + ").";
        }
        if (e instanceof InvalidFormatException invalid) {
            return "Field '" + ClientText.echo(field) + "' must be " + expected(invalid.getTargetType()) + ".";
        }
        if (e instanceof MismatchedInputException mismatched) {
            String message = String.valueOf(mismatched.getOriginalMessage());
            if (message.startsWith("No content to map")) {
                return "The body is empty; send a JSON document.";
            }
            if (message.toLowerCase(java.util.Locale.ROOT).contains("trailing token")) {
                return "The body has content after its JSON document" + at(e.getLocation()) + ".";
            }
            if (field.isEmpty()) {
                return "The body must be " + expected(mismatched.getTargetType()) + ".";
            }
            if (message.contains("null")) {
                return "Field '" + ClientText.echo(field) + "' is required.";
            }
            return "Field '" + ClientText.echo(field) + "' must be " + expected(mismatched.getTargetType()) + ".";
        }
        if (e instanceof ValueInstantiationException) {
            return field.isEmpty() ? "The body does not have the expected fields." : "Field '" + ClientText.echo(field) + "' is not valid.";
        }
        if (e instanceof UnexpectedEndOfInputException) {
            return "The body ends before its JSON document does" + at(e.getLocation()) + ".";
        }
        if (e instanceof StreamReadException) {
            String message = String.valueOf(e.getOriginalMessage());
            Matcher duplicate = DUPLICATE.matcher(message);
            if (duplicate.find()) {
                return "Duplicate field '" + ClientText.echo(join(field, duplicate.group(1))) + "'.";
            }
            if (message.startsWith("Invalid UTF-8")) {
                return "The body is not valid UTF-8" + at(e.getLocation()) + ".";
            }
            if (message.contains("Numeric value") && message.contains("out of range")) {
                return "A number is out of range" + at(e.getLocation()) + ".";
            }
        }
        return "The body is not valid JSON" + at(e.getLocation()) + ".";
    }

    private static JacksonException find(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JacksonException jackson) {
                return jackson;
            }
        }
        return null;
    }

    private static String path(JacksonException e) {
        List<JacksonException.Reference> path = e.getPath();
        if (path == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference reference : path) {
            if (reference.getPropertyName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? String.valueOf(name) : path + "." + name;
    }

    private static String at(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class || type == java.math.BigInteger.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                    .map(String::toLowerCase).collect(Collectors.joining(", "));
        }
        if (type == java.util.UUID.class) {
            return "a UUID";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 instant such as 2026-01-31T12:00:00Z";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord() || !type.getName().startsWith("java.")) {
            return "an object";
        }
        return "of another type";
    }

    private static String limit(String message) {
        String text = String.valueOf(message);
        if (text.contains("nesting depth")) {
            return "nested too deeply";
        }
        if (text.contains("String value length")) {
            return "a string is too long";
        }
        if (text.contains("Number value length")) {
            return "a number has too many digits";
        }
        if (text.contains("Name length")) {
            return "a field name is too long";
        }
        return "the document is too large";
    }
}
