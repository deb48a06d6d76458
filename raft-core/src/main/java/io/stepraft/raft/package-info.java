/** Placeholder; replaced by the manual of the Ready loop. */
package io.stepraft.raft;
