package io.fleetstream.support.access;

import io.fleetstream.schemas.CommandSpec;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apache.avro.specific.SpecificRecord;

/**
 * A route under {@code /v1/workspaces/{workspace}/…} and what it requires: the access and scope of the
 * command it sends ({@link #command}), or those given. A {@link Grant} parameter of the handler is the
 * caller's, checked before the handler runs; a caller who may not see the workspace gets 404
 * {@code workspace.not-found}. Every such route declares itself: the application does not start otherwise,
 * and the route table test checks each one.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface WorkspaceRoute {

    /** The command the route sends: its schema's access and scope are the route's. */
    Class<? extends SpecificRecord> command() default SpecificRecord.class;

    /** The scope a key needs ({@code devices:read}), when no command is named. */
    String scope() default "";

    /** The access the route takes, when no command is named. */
    CommandSpec.Access access() default CommandSpec.Access.VIEWER;
}
