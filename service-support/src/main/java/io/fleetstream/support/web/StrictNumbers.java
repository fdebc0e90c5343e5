package io.fleetstream.support.web;

import java.beans.PropertyEditorSupport;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Whole-number request parameters in decimal ASCII digits only. Spring's default conversion also reads
 * {@code 0x10} and {@code #10} as hexadecimal, strips whitespace ({@code 1 2} is 12) and takes other
 * scripts' digits ({@code １２}): each a silent reinterpretation of what the caller sent. Editors, not
 * converters: binding falls back to the lenient default editors when a converter refuses. What does not
 * parse is a 400 naming the parameter ({@link ProblemHandler}).
 */
@ControllerAdvice
class StrictNumbers {

    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,19}");

    @InitBinder
    void decimalOnly(WebDataBinder binder) {
        binder.registerCustomEditor(int.class, new Decimal(Integer::valueOf, false));
        binder.registerCustomEditor(Integer.class, new Decimal(Integer::valueOf, true));
        binder.registerCustomEditor(long.class, new Decimal(Long::valueOf, false));
        binder.registerCustomEditor(Long.class, new Decimal(Long::valueOf, true));
    }

    private static final class Decimal extends PropertyEditorSupport {

        private final Function<String, Number> parse;
        private final boolean emptyIsNull;

        Decimal(Function<String, Number> parse, boolean emptyIsNull) {
            this.parse = parse;
            this.emptyIsNull = emptyIsNull;
        }

        @Override
        public void setAsText(String text) {
            if (text.isEmpty() && emptyIsNull) {
                setValue(null);
                return;
            }
            if (!DECIMAL.matcher(text).matches()) {
                throw new IllegalArgumentException("not a decimal whole number");
            }
            setValue(parse.apply(text)); // NumberFormatException (an IllegalArgumentException) when out of range
        }

        @Override
        public String getAsText() {
            Object value = getValue();
            return value == null ? "" : value.toString();
        }
    }
}
