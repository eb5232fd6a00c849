import { ActionIcon, type ActionIconProps, Tooltip } from '@mantine/core';
import type { MouseEventHandler, ReactNode } from 'react';

/** Tooltips of icon-only buttons open on touch too: a phone has no hover to show them. */
export const TOUCH_TOOLTIP_EVENTS = { hover: true, focus: true, touch: true } as const;

interface IconActionProps extends Omit<ActionIconProps, 'children'> {
  /** The accessible name, read out by screen readers ("Delete Anna Nowak"); required. */
  label: string;
  /** What the tooltip shows, when shorter than `label` ("Delete"); `label` otherwise. */
  tooltip?: string;
  icon: ReactNode;
  onClick?: MouseEventHandler<HTMLButtonElement>;
}

/**
 * The one icon-only button of the UI (test/architecture/icon-actions.test.ts keeps it so): it
 * always has an accessible name, and its meaning shows in a tooltip on hover, on keyboard focus
 * and on touch (tap), so a phone user can learn what the icon does.
 */
export function IconAction({ label, tooltip, icon, onClick, ...rest }: IconActionProps) {
  return (
    <Tooltip label={tooltip ?? label} withArrow events={TOUCH_TOOLTIP_EVENTS}>
      <ActionIcon variant="subtle" {...rest} onClick={onClick} aria-label={label}>
        {icon}
      </ActionIcon>
    </Tooltip>
  );
}
