"""The chart on screen: scene, view, box and link items, navigation, image export."""
