/**
 * Test harness shared by the modules' integration tests through the peer test-jar: real
 * external servers started as local processes (never fakes of them).
 */
package io.rmb.testing;
