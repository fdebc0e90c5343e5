package io.fleetstream.support.web;

import org.springframework.http.HttpStatus;

/**
 * One entry of a service's error catalog: a stable code clients can switch on, its HTTP status, a
 * title, and a remedy telling the caller how to fix the request.
 */
public interface ErrorCode {

    String code();

    HttpStatus status();

    String title();

    String remedy();

    static ErrorCode of(String code, HttpStatus status, String title, String remedy) {
        return new Entry(code, status, title, remedy);
    }

    /** A catalog entry. */
    record Entry(String code, HttpStatus status, String title, String remedy) implements ErrorCode {
    }
}
