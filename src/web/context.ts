// What every page may need without passing it down: the live stream and whether the user is the owner.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { LiveState } from './hooks.js';

export const LiveContext = createContext<LiveState>({ messages: 0, connected: false });
export const OwnerContext = createContext(false);

export const useLiveState = (): LiveState => useContext(LiveContext);
export const useIsOwner = (): boolean => useContext(OwnerContext);
